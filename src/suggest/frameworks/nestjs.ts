// NestJS: app.enableCors() (Express adapter = cors, Fastify adapter = @fastify/cors).
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, methodsWithSafelisted, safePolicy, type FrameworkRenderer } from './common';
import { optionLines, CORS_PACKAGE_KEYS } from './js-common';

export const nestjs: FrameworkRenderer = {
  id: 'nestjs',
  label: 'NestJS (enableCors)',
  targetVersion: '@nestjs/* 10–12 (Express or Fastify adapter)',
  language: 'typescript',
  defaults:
    'enableCors() is the cors package: methods replaces its default (GET, HEAD, PUT, PATCH, POST, DELETE), so GET, HEAD, POST and every method seen are listed.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const code = [
      "import { NestFactory } from '@nestjs/core';",
      "import { AppModule } from './app.module';",
      '',
      'async function bootstrap() {',
      '  const app = await NestFactory.create(AppModule);',
      '  // Before listen(). Methods are listed because the Fastify adapter defaults to GET,HEAD,POST only.',
      '  app.enableCors({',
      ...optionLines(p, CORS_PACKAGE_KEYS, methodsWithSafelisted(p), '    '),
      '  });',
      '  await app.listen(process.env.PORT ?? 3000);',
      '}',
      'bootstrap();',
      '',
    ].join('\n');
    warnings.push(
      'enableCors() with no origin sends Access-Control-Allow-Origin: * even with credentials: true; keep the explicit list.',
    );
    if (p.credentials)
      warnings.push(
        'If app.enableCsrfProtection() (Nest 12) is on, cross-site unsafe requests get a 403 from Nest that looks like a CORS failure.',
      );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'src/main.ts', warnings };
  },
};
