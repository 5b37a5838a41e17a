// "Copy as fetch": the request as the page's script would make it, to paste into the page's console and try again
// after a server change. Only headers a script may set go in (the browser adds Origin, Host, Sec-* and the rest
// itself: Fetch standard, forbidden request-header); secrets are redacted unless asked otherwise.
import type { ObservedRequest } from '../engine/types';
import { isForbiddenHeaderName } from '../engine';
import { redactHeaderValue, redactUrl } from './redact';

// Script cannot set a forbidden header (the engine's list) or an HTTP/2 pseudo-header: listing one would only make
// fetch() ignore it.
const forbidden = (name: string) => isForbiddenHeaderName(name) || name.startsWith(':');

export function toFetch(req: ObservedRequest, opts: { redact: boolean }): string {
  const main = req.exchanges.find((x) => x.kind === 'main');
  const headers: Record<string, string> = {};
  // A request the browser never sent has no headers of its own: the preflight names the ones script added.
  const pf = req.exchanges.find((x) => x.kind === 'preflight');
  for (const h of main?.requestHeaders ?? []) {
    const name = h.name.toLowerCase();
    if (!forbidden(name)) headers[h.name] = opts.redact ? redactHeaderValue(h.name, h.value) : h.value;
  }
  if (!main?.requestHeaders && pf) {
    const acrh = pf.requestHeaders?.find((h) => h.name.toLowerCase() === 'access-control-request-headers')?.value ?? '';
    for (const n of acrh
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      headers[n] = '<value>';
  }
  const init: Record<string, unknown> = {};
  if (req.method !== 'GET') init.method = req.method;
  if (Object.keys(headers).length) init.headers = headers;
  if (req.hints?.mode && req.hints.mode !== 'cors') init.mode = req.hints.mode;
  if (req.hints?.credentials && req.hints.credentials !== 'same-origin') init.credentials = req.hints.credentials;
  const url = JSON.stringify(opts.redact ? redactUrl(req.url) : req.url);
  return Object.keys(init).length ? `await fetch(${url}, ${JSON.stringify(init, null, 2)});` : `await fetch(${url});`;
}
