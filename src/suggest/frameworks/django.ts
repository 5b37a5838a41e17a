// Django: django-cors-headers settings (Debian 12 ships 3.14; the settings below are valid in 3.x and 4.x).
import type { OriginPolicy } from '../policy';
import { DUPLICATE_LAYER_APP, dq, hasChange, safePolicy, type FrameworkRenderer } from './common';
import { pyList } from './python-common';

/** corsheaders.defaults in 3.14 (4.0 dropped accept-encoding, dnt and origin). */
const DEFAULT_HEADERS = [
  'accept',
  'accept-encoding',
  'authorization',
  'content-type',
  'dnt',
  'origin',
  'user-agent',
  'x-csrftoken',
  'x-requested-with',
];
const DEFAULT_METHODS = ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

export const django: FrameworkRenderer = {
  id: 'django',
  label: 'Django (django-cors-headers)',
  targetVersion: 'django-cors-headers 3.14 (Debian 12) – 4.x',
  language: 'python',
  defaults:
    'Extends corsheaders.defaults default_headers (accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with, …) and default_methods (DELETE, GET, OPTIONS, PATCH, POST, PUT), so what they allow today stays allowed.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const extraHeaders = p.requestHeaders.filter((h) => !DEFAULT_HEADERS.includes(h));
    // Values are joined verbatim into ACAM and browsers compare methods byte for byte, so `patch` must be added as is.
    const extraMethods = p.methods.filter((m) => !DEFAULT_METHODS.includes(m));
    const tuple = (base: string, xs: string[]) => (xs.length ? `(*${base}, ${xs.map(dq).join(', ')})` : `(*${base},)`);
    const lines = [
      '# settings.py',
      'from corsheaders.defaults import default_headers, default_methods',
      '',
      'INSTALLED_APPS += ["corsheaders"]',
      '# First: a middleware above it that answers by itself (CommonMiddleware redirects, auth) sends no CORS headers.',
      'MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")',
      '',
      `CORS_ALLOWED_ORIGINS = ${pyList(p.allowOrigins, '')}  # scheme://host[:port], no trailing slash`,
      `CORS_ALLOW_METHODS = ${tuple('default_methods', extraMethods)}`,
      `CORS_ALLOW_HEADERS = ${tuple('default_headers', extraHeaders)}`,
    ];
    if (p.exposeHeaders.length) lines.push(`CORS_EXPOSE_HEADERS = ${pyList(p.exposeHeaders, '')}`);
    if (p.credentials) lines.push('CORS_ALLOW_CREDENTIALS = True');
    lines.push(`CORS_PREFLIGHT_MAX_AGE = ${p.maxAge}  # default 86400; Chromium caps at 7200`, '');
    warnings.push(
      'Keep corsheaders.middleware.CorsMiddleware at the top of MIDDLEWARE (above CommonMiddleware): otherwise APPEND_SLASH redirects and auth responses go out without CORS headers.',
    );
    if (p.credentials) {
      warnings.push(
        'Cookie-authenticated cross-origin POST/PUT/DELETE also need CSRF_TRUSTED_ORIGINS and the CSRF token, or Django answers 403 "CSRF verification failed" (not a CORS error).',
      );
    }
    if (hasChange(p, 'remove-duplicate-layer')) warnings.push(DUPLICATE_LAYER_APP);
    return { code: lines.join('\n'), filename: 'settings.py', warnings };
  },
};
