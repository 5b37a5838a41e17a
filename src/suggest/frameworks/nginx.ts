// nginx: a map that echoes only allowed origins, add_header … always, and OPTIONS answered with 204.
import type { OriginPolicy } from '../policy';
import { dq, hasChange, joinList, safePolicy, type FrameworkRenderer } from './common';

/** `listen`/`server_name` for the target, so the snippet reads as the server block it belongs in. */
function listenFor(targetOrigin: string): { listen: string; host: string } {
  const u = new URL(targetOrigin);
  const https = u.protocol === 'https:';
  const port = u.port || (https ? '443' : '80');
  return { listen: https ? `${port} ssl` : port, host: u.hostname };
}

export const nginx: FrameworkRenderer = {
  id: 'nginx',
  label: 'nginx',
  targetVersion: 'nginx 1.22 (Debian 12) and later',
  language: 'nginx',
  defaults: 'None: every list is written out in add_header lines, nginx adds nothing itself.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const { listen, host } = listenFor(p.targetOrigin);
    const cors = (indent: string, preflight: boolean): string[] => {
      const l = [`add_header Access-Control-Allow-Origin $cors_allow_origin always;`];
      if (p.credentials) l.push('add_header Access-Control-Allow-Credentials "true" always;');
      if (preflight) {
        if (p.methods.length) l.push(`add_header Access-Control-Allow-Methods ${dq(joinList(p.methods))} always;`);
        if (p.requestHeaders.length)
          l.push(`add_header Access-Control-Allow-Headers ${dq(joinList(p.requestHeaders))} always;`);
        l.push(`add_header Access-Control-Max-Age ${p.maxAge} always;`);
      } else if (p.exposeHeaders.length) {
        l.push(`add_header Access-Control-Expose-Headers ${dq(joinList(p.exposeHeaders))} always;`);
      }
      l.push('add_header Vary Origin always;');
      return l.map((x) => indent + x);
    };
    const lines = [
      '# In the http {} block: $cors_allow_origin is the request Origin when allowed, "" (no header) otherwise.',
      'map $http_origin $cors_allow_origin {',
      '    default "";',
      ...p.allowOrigins.map((o) => `    ${dq(o)} $http_origin;`),
      '}',
      '',
      'server {',
      `    listen ${listen};`,
      `    server_name ${host};`,
      '',
      '    location / {',
      '        # Preflights are answered here, before auth or the app. add_header inside "if" replaces',
      '        # the ones of the location, hence the repetition.',
      '        if ($request_method = OPTIONS) {',
      ...cors('            ', true),
      '            return 204;',
      '        }',
      '        # "always": also on 4xx/5xx. One add_header anywhere in a nested level drops all of these.',
      ...cors('        ', false),
      '        # The app must not send its own copies (two Access-Control-Allow-Origin lines fail):',
      '        proxy_hide_header Access-Control-Allow-Origin;',
      '        proxy_hide_header Access-Control-Allow-Credentials;',
      '        proxy_hide_header Access-Control-Expose-Headers;',
      '        proxy_pass http://127.0.0.1:3000; # your upstream',
      '    }',
      '}',
      '',
    ];
    if (listen.endsWith('ssl'))
      lines.splice(
        lines.indexOf(`    server_name ${host};`) + 1,
        0,
        '    # ssl_certificate / ssl_certificate_key: keep your existing TLS settings',
      );
    warnings.push(
      'add_header is inherited only by levels that have no add_header of their own (before nginx 1.29.3 there is no add_header_inherit): any add_header in a nested location or if drops these.',
    );
    warnings.push(
      'Without "always", add_header skips 4xx/5xx responses, so errors look like CORS failures in the browser.',
    );
    if (hasChange(p, 'remove-duplicate-layer')) {
      warnings.push(
        "Two Access-Control-Allow-Origin lines came back: the proxy_hide_header lines drop the app's copies; alternatively remove CORS from the app and keep it here only.",
      );
    }
    return { code: lines.join('\n'), filename: 'nginx.conf', warnings };
  },
};
