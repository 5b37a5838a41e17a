// "Copy as curl": reproduces the preflight (when there was one) and the request with the page's Origin, so a
// server developer can see exactly what the browser sent and got. Secrets are redacted unless asked otherwise.
import type { Exchange, Header, ObservedRequest } from '../engine/types';
import { redactHeaderValue, redactUrl } from './redact';

// Headers curl sets itself or that describe the connection, not the request.
const SKIP = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'keep-alive', 'transfer-encoding']);

/** POSIX shell single-quoting: safe for any byte, hostile header values included. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function curlFor(x: Exchange, redact: boolean, originFallback: string | null): string {
  const parts = ['curl', '-i', '-X', shellQuote(x.method)];
  const headers: Header[] = x.requestHeaders ?? [];
  let hasOrigin = false;
  for (const h of headers) {
    const name = h.name.toLowerCase();
    if (SKIP.has(name) || name.startsWith(':')) continue;
    if (name === 'origin') hasOrigin = true;
    const value = redact ? redactHeaderValue(h.name, h.value) : h.value;
    parts.push('-H', shellQuote(`${h.name}: ${value}`));
  }
  if (!hasOrigin && originFallback) parts.push('-H', shellQuote(`Origin: ${originFallback}`));
  parts.push(shellQuote(redact ? redactUrl(x.url) : x.url));
  return parts.join(' ');
}

export function toCurl(req: ObservedRequest, opts: { redact: boolean }): string {
  const lines: string[] = [];
  const pf = req.exchanges.find((x) => x.kind === 'preflight');
  const main = req.exchanges.find((x) => x.kind === 'main');
  if (pf) lines.push('# the preflight the browser sent', curlFor(pf, opts.redact, req.initiator));
  if (main) {
    const sent = main.requestHeaders ? main : { ...main, requestHeaders: [] };
    lines.push(
      main.requestHeaders
        ? '# the request'
        : '# the request (never sent by the browser: headers unknown beyond the preflight)',
      curlFor(sent, opts.redact, req.initiator),
    );
  }
  return lines.join('\n');
}
