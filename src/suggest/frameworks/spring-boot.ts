// Spring Boot (Spring MVC): a WebMvcConfigurer with addCorsMappings.
import type { OriginPolicy } from '../policy';
import {
  DUPLICATE_LAYER_APP,
  dq,
  hasChange,
  methodsWithSafelisted,
  safePolicy,
  type FrameworkRenderer,
} from './common';

export const springBoot: FrameworkRenderer = {
  id: 'spring-boot',
  label: 'Spring Boot (WebMvcConfigurer)',
  targetVersion: 'Spring Framework 5.3+ / 6.x (Boot 2.4+ / 3.x)',
  language: 'java',
  defaults:
    'Spring: allowedMethods replaces the default (GET, HEAD, POST), so those are listed with every method seen.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const args = (xs: string[]) => xs.map(dq).join(', ');
    const chain = [`.allowedOrigins(${args(p.allowOrigins)})`, `.allowedMethods(${args(methodsWithSafelisted(p))})`];
    if (p.requestHeaders.length) chain.push(`.allowedHeaders(${args(p.requestHeaders)})`);
    if (p.exposeHeaders.length) chain.push(`.exposedHeaders(${args(p.exposeHeaders)})`);
    if (p.credentials) chain.push('.allowCredentials(true)');
    chain.push(`.maxAge(${p.maxAge})`);
    chain[chain.length - 1] += ';';
    const code = [
      'import org.springframework.context.annotation.Configuration;',
      'import org.springframework.web.servlet.config.annotation.CorsRegistry;',
      'import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;',
      '',
      '@Configuration',
      'public class CorsConfig implements WebMvcConfigurer {',
      '',
      '    @Override',
      '    public void addCorsMappings(CorsRegistry registry) {',
      '        registry.addMapping("/**")',
      ...chain.map((c) => `                ${c}`),
      '    }',
      '}',
      '',
    ].join('\n');
    warnings.push(
      'With Spring Security, also call http.cors(Customizer.withDefaults()): otherwise the security filter rejects the unauthenticated preflight (401/403) before this mapping runs.',
    );
    warnings.push(
      'Spring answers a refused origin with 403 "Invalid CORS request", on actual requests too; allowedOrigins("*") with allowCredentials(true) throws (use allowedOriginPatterns).',
    );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'src/main/java/com/example/CorsConfig.java', warnings };
  },
};
