// Which verdicts a change of the server's CORS headers fixes: a request the browser blocked, and an allowed one whose
// response headers the page cannot read (https://fetch.spec.whatwg.org/#http-access-control-expose-headers).
// Allowed, not-CORS and undecided requests have nothing for the server's CORS policy to change.
import type { Verdict } from './types';

export function needsServerFix(verdict: Verdict): boolean {
  return verdict.kind === 'blocked' || verdict.kind === 'allowed-hidden-headers';
}
