// What the engine reads from an observed request before any Fetch step: each exchange indexed once (hops and
// preflights), the initiator's origin, and the per-hop evidence the mode inference weighs.
import { S_ACRM, S_ORIGIN } from './header-names';
import { HeaderIndex } from './headers';
import { SYNTHETIC, urlKey, type Hop, type Pf } from './hops';
import type { ModeEvidence } from './infer';
import { normalizeOrigin, OPAQUE, originOf, parseUrl, sameOrigin } from './origin';
import { methodAfterRedirect, redirectTarget } from './redirects';
import type { Exchange, Inference, ObservedRequest, Outcome } from './types';

export interface Observation {
  url: string;
  outcome: Outcome;
  /** The outcome's error string, when it ended in one. */
  outcomeError: string | null;
  /** The main exchanges in order (at least one: a synthetic hop when none was seen). */
  hops: Hop[];
  preflights: Pf[];
}

/** Indexes every exchange once (one HeaderIndex per header list, one URL parse per hop), shared by every later step. */
export function observe(req: ObservedRequest): Observation {
  const url = typeof req.url === 'string' ? req.url : '';
  const outcome: Outcome = req.outcome && typeof req.outcome === 'object' ? req.outcome : { kind: 'unknown' };
  const raw = Array.isArray(req.exchanges) ? req.exchanges : [];
  const hops: Hop[] = [];
  const preflights: Pf[] = [];
  for (let index = 0; index < raw.length; index++) {
    const ex = raw[index];
    if (!ex || typeof ex !== 'object') continue;
    const reqH = Array.isArray(ex.requestHeaders) ? new HeaderIndex(ex.requestHeaders) : null;
    const resH = ex.response && Array.isArray(ex.response.headers) ? new HeaderIndex(ex.response.headers) : null;
    const exUrl = typeof ex.url === 'string' ? ex.url : url;
    const pfLike = ex.kind === 'preflight' || (ex.method === 'OPTIONS' && reqH !== null && reqH.hasSlot(S_ACRM));
    if (pfLike) preflights.push({ ex, index, req: reqH, res: resH, url: exUrl });
    else {
      // A copy only when the method needs defaulting: hops read `ex` and never write it.
      const hx = typeof ex.method === 'string' ? ex : { ...ex, method: 'GET' };
      hops.push({ memo: { parsed: parseUrl(exUrl) }, ex: hx, index, req: reqH, res: resH, url: exUrl });
    }
  }
  if (hops.length === 0)
    hops.push(
      unsentHop(
        {
          kind: 'main',
          url,
          method: typeof req.method === 'string' ? req.method : 'GET',
          requestHeaders: null,
          response: null,
        },
        -1,
      ),
    );
  else {
    // The last hop redirected but its target was never sent (e.g. its preflight failed): add the target as an
    // unsent hop so a preflight seen for it can be assigned and checked.
    const last = hops[hops.length - 1];
    const next = last.res ? redirectTarget(last.ex, last.res) : null;
    if (next && last.ex.response) {
      const method = methodAfterRedirect(last.ex.response.status, last.ex.method);
      hops.push(unsentHop({ kind: 'main', url: next, method, requestHeaders: null, response: null }, SYNTHETIC));
    }
  }
  return {
    url,
    outcome,
    outcomeError: outcome.kind === 'error' ? String(outcome.error ?? '') : null,
    hops,
    preflights,
  };
}

function unsentHop(ex: Exchange, index: number): Hop {
  return { memo: { parsed: parseUrl(ex.url) }, ex, index, req: null, res: null, url: ex.url };
}

/**
 * Who asked: the reported initiator, else the document URL's origin, else an Origin header seen; opaque when the
 * first hop carried Origin: null. Each guess is recorded in `inferences`.
 */
export function findInitiator(req: ObservedRequest, obs: Observation, inferences: Inference[]): string | null {
  const { hops, preflights } = obs;
  let initiator = normalizeOrigin(req.initiator);
  if (initiator === null && typeof req.documentUrl === 'string' && req.documentUrl) {
    initiator = originOf(req.documentUrl) ?? OPAQUE;
    inferences.push({
      what: 'initiator',
      value: initiator,
      confidence: 'likely',
      because: 'origin of the document URL',
    });
  }
  if (initiator === null) {
    const o =
      hops.find((h) => h.req?.hasSlot(S_ORIGIN))?.req?.value(S_ORIGIN) ??
      preflights.find((p) => p.req?.hasSlot(S_ORIGIN))?.req?.value(S_ORIGIN) ??
      null;
    const n = normalizeOrigin(o);
    if (n) {
      initiator = n;
      inferences.push({ what: 'initiator', value: n, confidence: 'likely', because: "the request's Origin header" });
    }
  }
  if (initiator === null || initiator === OPAQUE) return initiator;
  // Firefox reports a sandboxed iframe's URL as originUrl, so the initiator looks like a tuple origin while the
  // page's origin is opaque; the first hop's Origin: null says so (no redirect can have tainted it yet).
  if (firstSentOrigin(obs) !== OPAQUE) return initiator;
  inferences.push({
    what: 'initiator',
    value: OPAQUE,
    confidence: 'likely',
    because: `the request carried Origin: null although the initiator was reported as ${initiator}: the page has an opaque origin (sandboxed iframe, data: or file: document)`,
  });
  return OPAQUE;
}

/** The Origin the first hop carried, or its preflight when the hop itself shows none. */
function firstSentOrigin({ hops, preflights }: Observation): string | null {
  const first = hops[0];
  const sent = first.req?.value(S_ORIGIN) ?? null;
  if (sent !== null || preflights.length === 0) return sent;
  const key = urlKey(first.url);
  const before = hops[1]?.index ?? Infinity;
  return preflights.find((p) => urlKey(p.url) === key && p.index < before)?.req?.value(S_ORIGIN) ?? null;
}

/**
 * Each hop as evidence for the mode inference, remembering on the hop whether it is same-origin with the initiator
 * (both credentials walks ask again). An empty header list means the observer saw none (never sent, or hidden).
 */
export function modeEvidence(obs: Observation, initiator: string | null): ModeEvidence {
  const mains: ModeEvidence['mains'] = [];
  for (const h of obs.hops) {
    const same = initiator !== null && sameOrigin(h.memo!.parsed?.origin ?? OPAQUE, initiator);
    h.sameAsInitiator = same;
    mains.push({ ex: h.ex, req: h.req && h.req.lines.length > 0 ? h.req : null, crossOrigin: !same });
  }
  return { mains, preflightSeen: obs.preflights.length > 0 };
}
