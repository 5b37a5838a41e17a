// Which response headers a passing CORS response exposes to script (https://fetch.spec.whatwg.org/#concept-filtered-response-cors):
// CORS-safelisted response headers plus the Access-Control-Expose-Headers list; never Set-Cookie.
import { RES_FORBIDDEN, RES_SKIPPED, responseNameClass, S_ACEH } from './header-names';
import { parseTokenList, asciiLower, type HeaderIndex } from './headers';

export interface Exposure {
  /** Non-exposed header names (lowercased, first-seen order), minus safelisted, access-control-* and noise (header-names.ts). */
  hidden: string[];
  /** ACEH granted every header (`*` without credentials). */
  all: boolean;
  /** ACEH present but did not parse: only the safelisted headers are exposed. */
  acehInvalid: boolean;
}

const NOTHING_LISTED: ReadonlySet<string> = new Set();

export function computeExposure(headers: HeaderIndex, credentials: boolean): Exposure {
  const raw = headers.value(S_ACEH);
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
  if (headers.repeats) {
    for (const name of headers.names) hide(hidden, name, responseNameClass(name), all, listed);
  } else {
    // No repeated name: the lines are the names, each with its class decided when the index lowercased it.
    for (let i = 0; i < headers.size; i++) {
      const f = headers.factsAt(i);
      hide(hidden, f.lower, f.res, all, listed);
    }
  }
  return { hidden, all, acehInvalid };
}

function hide(hidden: string[], name: string, c: number, all: boolean, listed: ReadonlySet<string>): void {
  if (c === RES_SKIPPED) return;
  if (c === RES_FORBIDDEN || !(all || listed.has(name))) hidden.push(name);
}
