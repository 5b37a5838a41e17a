// Laravel 9.2+: config/cors.php read by the built-in HandleCors middleware (fruitcake/php-cors).
import type { OriginPolicy } from '../policy';
import {
  DUPLICATE_LAYER_APP,
  hasChange,
  methodsWithSafelisted,
  sq,
  safePolicy,
  type FrameworkRenderer,
} from './common';

/** `paths` entries from the request paths: first segment + `/*` (`/api/items` → `api/*`), else `*`. */
function pathPatterns(paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    const seg = path.split('/')[1] ?? '';
    const pat = /^[A-Za-z0-9._-]+$/.test(seg) && path.split('/').length > 2 ? `${seg}/*` : '*';
    if (!out.includes(pat)) out.push(pat);
  }
  return out.includes('*') || out.length === 0 ? ['*'] : out;
}

export const laravel: FrameworkRenderer = {
  id: 'laravel',
  label: 'Laravel (config/cors.php)',
  targetVersion: 'Laravel 9.2 – 12',
  language: 'php',
  defaults:
    "config/cors.php: allowed_methods and allowed_headers replace the shipped ['*'], so both lists are complete.",
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const arr = (xs: string[]) => `[${xs.map(sq).join(', ')}]`;
    // Built by pathPatterns() from [A-Za-z0-9._-] segments plus '/*', so they may hold the one '*'.
    const paths = `[${pathPatterns(p.paths)
      .map((x) => `'${x}'`)
      .join(', ')}]`;
    const code = [
      '<?php',
      '',
      '// config/cors.php (Laravel 11+: create it with `php artisan config:publish cors`)',
      'return [',
      `    'paths' => ${paths}, // requests outside these paths get no CORS headers`,
      `    'allowed_methods' => ${arr(methodsWithSafelisted(p))},`,
      `    'allowed_origins' => ${arr(p.allowOrigins)},`,
      "    'allowed_origins_patterns' => [],",
      `    'allowed_headers' => ${arr(p.requestHeaders)},`,
      `    'exposed_headers' => ${arr(p.exposeHeaders)},`,
      `    'max_age' => ${p.maxAge},`,
      `    'supports_credentials' => ${p.credentials ? 'true' : 'false'},`,
      '];',
      '',
    ].join('\n');
    warnings.push('After editing, run `php artisan config:clear` (a cached config keeps the old CORS settings).');
    if (p.allowOrigins.length === 1)
      warnings.push(
        'With exactly one origin and no patterns, Laravel sends that origin to every caller (other origins still fail in the browser).',
      );
    if (p.credentials)
      warnings.push(
        "Sanctum SPA authentication also needs SANCTUM_STATEFUL_DOMAINS and SESSION_DOMAIN set for the page's host.",
      );
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code, filename: 'config/cors.php', warnings };
  },
};
