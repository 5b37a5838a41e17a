// One HTTP exchange of `probe`, as the browser's network stack would make it for the CORS loader.
import http from 'node:http';
import https from 'node:https';
import { causeOfError } from '../engine';
import type { Header } from '../engine/types';
import { redactUrl } from '../report';
import { ProbeError } from './probe-args';

export interface Answer {
  status: number;
  statusText: string;
  headers: Header[];
}

/** Words for a Node network error code, so the one-line message says what went wrong. */
function networkWords(err: NodeJS.ErrnoException, timeoutMs: number): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'cannot resolve the host name (DNS)';
    case 'ECONNRESET':
      return 'the server closed the connection';
    case 'ETIMEDOUT':
      return `no answer within ${timeoutMs} ms`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return err.message || String(err.code ?? err);
  }
}

/** The response's header lines from `rawHeaders`, so duplicates stay separate lines. */
function headerLines(raw: string[]): Header[] {
  const out: Header[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i], value: raw[i + 1] });
  return out;
}

/**
 * One HTTP exchange with node:http(s). The response's header lines are read from `rawHeaders`, so duplicates stay
 * separate lines (Chromium's MultipleAllowOriginValues and Firefox's line count depend on them). No cookie jar, no
 * connection reuse, no redirect following: the caller follows redirects itself, as the browser's CORS loader does.
 */
export function send(url: URL, method: string, headers: Header[], timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const obj: Record<string, string> = {};
    for (const h of headers) obj[h.name] = h.value;
    let settled = false;
    // Chromium accepts up to 256 KiB of response headers (net::HttpStreamParser kMaxHeaderBufSize); Node's default
    // 16 KiB would turn a big-but-valid response into a network error the browser never sees.
    const req = lib.request(url, { method, headers: obj, agent: false, setHost: true, maxHeaderSize: 256 * 1024 });
    const timer = setTimeout(() => {
      const e = new Error('timeout') as NodeJS.ErrnoException;
      e.code = 'ETIMEDOUT';
      req.destroy(e);
    }, timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      settled = true;
      resolve({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: headerLines(res.rawHeaders),
      });
      // The body does not matter to CORS: drop it and the connection.
      res.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      // The same cause the engine names for a browser's net error (src/engine/net-errors.ts): not CORS.
      const cause = err.code ? causeOfError(err.code) : null;
      reject(
        new ProbeError(
          `network error: ${method} ${redactUrl(url.href)}: ${networkWords(err, timeoutMs)}${err.code ? ` (${err.code})` : ''}${cause && cause !== 'network-error' ? ` — not CORS (${cause})` : ''}`,
        ),
      );
    });
    req.end();
  });
}
