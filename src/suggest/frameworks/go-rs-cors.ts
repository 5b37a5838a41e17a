// Go with github.com/rs/cors (Debian 12: 1.7.0; upstream 1.11).
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, hasChange, methodsWithSafelisted, safePolicy, type FrameworkRenderer } from './common';
import { goStrings, gofmtFields } from './go-common';

export const goRsCors: FrameworkRenderer = {
  id: 'go-rs-cors',
  label: 'Go (rs/cors)',
  targetVersion: 'github.com/rs/cors 1.7 – 1.11',
  language: 'go',
  defaults:
    'rs/cors: AllowedMethods replaces the default (GET, POST, HEAD) and AllowedHeaders the default (Origin, Accept, Content-Type, X-Requested-With); rs/cors always adds Origin itself.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const fields: [string, string][] = [
      ['AllowedOrigins', goStrings(p.allowOrigins)],
      // rs/cors also checks the method of actual requests: list GET/HEAD/POST or they lose their headers.
      ['AllowedMethods', goStrings(methodsWithSafelisted(p))],
    ];
    if (p.requestHeaders.length) fields.push(['AllowedHeaders', goStrings(p.requestHeaders)]);
    if (p.exposeHeaders.length) fields.push(['ExposedHeaders', goStrings(p.exposeHeaders)]);
    if (p.credentials) fields.push(['AllowCredentials', 'true']);
    fields.push(['MaxAge', String(p.maxAge)]);
    const code = [
      'package main',
      '',
      'import (',
      '\t"log"',
      '\t"net/http"',
      '',
      '\t"github.com/rs/cors"',
      ')',
      '',
      'func main() {',
      '\tmux := http.NewServeMux() // your handlers',
      '',
      '\tc := cors.New(cors.Options{',
      ...gofmtFields(fields, '\t\t'),
      '\t})',
      '\tlog.Fatal(http.ListenAndServe(":8080", c.Handler(mux)))',
      '}',
      '',
    ].join('\n');
    warnings.push(
      'An empty AllowedOrigins means every origin, and ["*"] with AllowCredentials sends "*": keep the explicit list.',
    );
    warnings.push('rs/cors refuses a preflight silently (200/204 without CORS headers); set Debug: true to log why.');
    if (p.methods.some((m) => m !== m.toUpperCase()))
      warnings.push(
        'rs/cors 1.7 upper-cases methods, so a lowercase method sent by the page (patch) keeps failing there: send it uppercase.',
      );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'main.go', warnings };
  },
};
