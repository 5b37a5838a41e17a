// Apache httpd 2.4: SetEnvIf with an anchored regex, Header always set, and a RewriteRule answering preflights.
import type { OriginPolicy } from '../policy';
import { regexEscape } from '../validate';
import { hasChange, joinList, plain, plainRegex, safePolicy, type FrameworkRenderer } from './common';

export const apache: FrameworkRenderer = {
  id: 'apache',
  label: 'Apache httpd (mod_headers)',
  targetVersion: 'Apache httpd 2.4 (Debian 12: 2.4.6x+)',
  language: 'apache',
  defaults: 'None: every list is written out in Header directives, nothing is added by Apache itself.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const alternation = p.allowOrigins.map((o) => regexEscape(plain(o)));
    const re = plainRegex(alternation.length === 1 ? `^${alternation[0]}$` : `^(${alternation.join('|')})$`);
    const lines = [
      '# Needs: a2enmod headers setenvif rewrite. Server or <VirtualHost> context.',
      '# Anchored on both ends: an unanchored pattern also matches https://example.com.evil.net.',
      `SetEnvIf Origin "${re}" CORS_ORIGIN=$0`,
    ];
    if (hasChange(p, 'remove-duplicate-layer')) {
      lines.push(
        '# The backend sends its own copies: drop them so only one Access-Control-Allow-Origin goes out.',
        'Header unset Access-Control-Allow-Origin',
        'Header unset Access-Control-Allow-Credentials',
      );
    }
    lines.push(
      '# "always": also on error responses (a plain "Header set" skips them).',
      'Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN',
    );
    if (p.credentials) lines.push('Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN');
    if (p.exposeHeaders.length)
      lines.push(`Header always set Access-Control-Expose-Headers "${joinList(p.exposeHeaders)}" env=CORS_ORIGIN`);
    lines.push('Header always merge Vary "Origin"');
    if (p.preflight) {
      lines.push(
        '',
        '# Answer preflights (OPTIONS + Access-Control-Request-Method) with 204 before auth or the backend.',
        'RewriteEngine On',
        'RewriteCond %{REQUEST_METHOD} =OPTIONS',
        'RewriteCond %{HTTP:Access-Control-Request-Method} !=""',
        'RewriteRule ^ - [E=CORS_PREFLIGHT:1,R=204,L]',
      );
      if (p.methods.length)
        lines.push(`Header always set Access-Control-Allow-Methods "${joinList(p.methods)}" env=CORS_PREFLIGHT`);
      if (p.requestHeaders.length)
        lines.push(`Header always set Access-Control-Allow-Headers "${joinList(p.requestHeaders)}" env=CORS_PREFLIGHT`);
      lines.push(`Header always set Access-Control-Max-Age "${p.maxAge}" env=CORS_PREFLIGHT`);
    }
    lines.push('');
    warnings.push(
      'Use "Header always": the default table is not applied to error responses httpd generates, so a 401/500 would lose CORS.',
    );
    warnings.push(
      '"Header always set" and a backend-set Access-Control-Allow-Origin live in different tables: do CORS in one layer, or you send two values.',
    );
    return { code: lines.join('\n'), filename: 'cors.conf', warnings };
  },
};
