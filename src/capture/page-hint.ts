// The page observer's word on one fetch()/XHR call (public/content/page-observer.js), checked before it is believed:
// a page can post anything on the hint port.
import type { CredentialsMode, RequestMode } from '../engine/types';

/** What the page observer (public/content/page-observer.js) learnt about one fetch()/XHR call. */
export interface PageHint {
  api: 'fetch' | 'xhr';
  url: string;
  method: string;
  mode: RequestMode;
  credentials: CredentialsMode;
  /** Page clock, ms since epoch. */
  t: number;
  /** fetch() options the network never shows, and the page's secure context (Local Network Access). */
  redirect?: 'manual' | 'error';
  targetAddressSpace?: string;
  secureContext?: boolean;
}

const MODES = new Set<string>(['cors', 'no-cors', 'same-origin', 'navigate', 'websocket']);
const CREDENTIALS = new Set<string>(['omit', 'same-origin', 'include']);

/** A hint as the page observer sends it; anything else (a page forging messages) is dropped. */
export function isPageHint(h: unknown): h is PageHint {
  const x = h as PageHint;
  return (
    !!x &&
    typeof x === 'object' &&
    (x.api === 'fetch' || x.api === 'xhr') &&
    typeof x.url === 'string' &&
    x.url.length < 8192 &&
    typeof x.method === 'string' &&
    x.method.length < 64 &&
    MODES.has(x.mode) &&
    CREDENTIALS.has(x.credentials) &&
    Number.isFinite(x.t)
  );
}
