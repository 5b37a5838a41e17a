// Caddy 2 (Caddyfile): header_regexp matcher for allowed origins, a 204 preflight branch, reverse_proxy.
import type { OriginPolicy } from '../policy';
import { regexEscape } from '../validate';
import { joinList, plain, plainRegex, safePolicy, type FrameworkRenderer } from './common';

export const caddy: FrameworkRenderer = {
  id: 'caddy',
  label: 'Caddy 2 (Caddyfile)',
  targetVersion: 'Caddy 2.6 (Debian 12) and later',
  language: 'caddyfile',
  defaults: 'None: every list is written out in header directives, Caddy adds nothing itself.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const alternation = p.allowOrigins.map((o) => regexEscape(plain(o)));
    const re = plainRegex(alternation.length === 1 ? `^${alternation[0]}$` : `^(${alternation.join('|')})$`);
    const site = p.targetOrigin;
    const lines = [
      `${site} {`,
      '\t# Anchored regex: the plain header matcher only knows prefix/suffix wildcards.',
      `\t@cors_origin header_regexp Origin "${re}"`,
      '\t@preflight {',
      '\t\tmethod OPTIONS',
      `\t\theader_regexp Origin "${re}"`,
      '\t\theader Access-Control-Request-Method *',
      '\t}',
      '\theader Vary Origin',
      '\theader @cors_origin {',
      '\t\tAccess-Control-Allow-Origin "{http.request.header.Origin}"',
    ];
    if (p.credentials) lines.push('\t\tAccess-Control-Allow-Credentials true');
    if (p.exposeHeaders.length) lines.push(`\t\tAccess-Control-Expose-Headers "${joinList(p.exposeHeaders)}"`);
    lines.push('\t}');
    if (p.preflight) {
      lines.push('\thandle @preflight {', '\t\theader {');
      if (p.methods.length) lines.push(`\t\t\tAccess-Control-Allow-Methods "${joinList(p.methods)}"`);
      if (p.requestHeaders.length) lines.push(`\t\t\tAccess-Control-Allow-Headers "${joinList(p.requestHeaders)}"`);
      lines.push(`\t\t\tAccess-Control-Max-Age ${p.maxAge}`, '\t\t}', '\t\trespond 204', '\t}');
    }
    lines.push(
      '\thandle {',
      '\t\treverse_proxy 127.0.0.1:3000 {',
      "\t\t\t# reverse_proxy adds the upstream's headers: drop its copies to avoid duplicates.",
      '\t\t\theader_down -Access-Control-Allow-Origin',
      '\t\t\theader_down -Access-Control-Allow-Credentials',
      '\t\t}',
      '\t}',
      '}',
      '',
    );
    warnings.push(
      'Caddy has no CORS directive: the header blocks above are applied before the handler runs, so upstream errors keep them; responses from handle_errors need their own check.',
    );
    warnings.push(
      'The header matcher\'s "*example.com" also matches https://evilexample.com: keep header_regexp with ^…$.',
    );
    return { code: lines.join('\n'), filename: 'Caddyfile', warnings };
  },
};
