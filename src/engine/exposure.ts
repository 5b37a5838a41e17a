// Which response headers a passing CORS response exposes to script (https://fetch.spec.whatwg.org/#concept-filtered-response-cors):
// CORS-safelisted response headers plus the Access-Control-Expose-Headers list; never Set-Cookie.
import { parseTokenList, asciiLower, type HeaderIndex } from './headers';
import { isForbiddenResponseHeader, SAFELISTED_RESPONSE_HEADERS } from './safelist';

export const ACEH = 'access-control-expose-headers';

/**
 * Headers that scripts practically never read and that nearly every response carries (transport, hop-by-hop
 * and browser-policy headers): listing them as "hidden" on every response would bury the useful ones
 * (`x-request-id`, `etag`, `location`, `link`…). They are hidden all the same; this only keeps the list readable.
 */
const NOISE = new Set([
  'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection',
  'date', 'server', 'via', 'vary', 'age', 'alt-svc', 'strict-transport-security',
  'content-security-policy', 'content-security-policy-report-only', 'x-content-type-options', 'x-frame-options',
  'x-xss-protection', 'referrer-policy', 'permissions-policy', 'cross-origin-resource-policy',
  'cross-origin-opener-policy', 'cross-origin-embedder-policy', 'timing-allow-origin', 'report-to', 'nel',
  'reporting-endpoints', 'origin-agent-cluster', 'x-powered-by', 'content-encoding',
]);

export interface Exposure {
  /** Non-exposed header names (lowercased, first-seen order), minus safelisted, access-control-* and noise. */
  hidden: string[];
  /** ACEH granted every header (`*` without credentials). */
  all: boolean;
  /** ACEH present but did not parse: only the safelisted headers are exposed. */
  acehInvalid: boolean;
}

const SKIPPED = 0;
const FORBIDDEN = 1;
const CANDIDATE = 2;
/** Name → how the loop below treats it (a pure function of the name, remembered: names recur on every response). */
const NAME_CLASS = new Map<string, number>();
function nameClass(name: string): number {
  let c = NAME_CLASS.get(name);
  if (c !== undefined) return c;
  c = SAFELISTED_RESPONSE_HEADERS.has(name) || name.startsWith('access-control-') || NOISE.has(name) ? SKIPPED
    : isForbiddenResponseHeader(name) ? FORBIDDEN : CANDIDATE;
  if (name.length <= 64 && NAME_CLASS.size < 4096) NAME_CLASS.set(name, c);
  return c;
}

const NOTHING_LISTED: ReadonlySet<string> = new Set();

export function computeExposure(headers: HeaderIndex, credentials: boolean): Exposure {
  const raw = headers.get(ACEH);
  let listed = NOTHING_LISTED;
  let acehInvalid = false;
  if (raw !== null) {
    const r = parseTokenList(raw);
    if (r.ok) listed = new Set(r.items.map(asciiLower));
    else acehInvalid = true;
  }
  // `*` only means "every header" for a request whose credentials mode is not include.
  const all = !credentials && listed.has('*');
  const hidden: string[] = [];
  for (const name of headers.names) {
    const c = nameClass(name);
    if (c === SKIPPED) continue;
    if (c === FORBIDDEN) {
      hidden.push(name);
      continue;
    }
    if (all || listed.has(name)) continue;
    hidden.push(name);
  }
  return { hidden, all, acehInvalid };
}
