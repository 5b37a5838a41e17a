// Verdicts → the minimal server CORS policy that makes the observed requests pass, per target origin,
// plus advice for failures only the client can fix. Framework renderers (./frameworks/*) turn an
// OriginPolicy into config text; nothing here knows about any framework.
import { advise, clientOnlyReason, notCorsAdvice, notCorsMessage } from './client-advice';
import { draftFor } from './draft';
import { clonePolicy, exhaustive, mergeInto, normalize, pushUnique } from './policy-edit';
import type { Advice, DerivedPolicies, OriginPolicy, PolicyItem } from './policy-types';
import { exchangeAt, httpOriginOf } from './request-facts';
import type { PolicyWarning } from './validate';

export type { Advice, DerivedPolicies, OriginPolicy, PolicyChange, PolicyItem, PolicyWarning } from './policy-types';
export { SUGGESTED_MAX_AGE } from './policy-edit';

/** Decide, for one item, whether it yields a server policy or only advice. Exhaustive over Verdict['kind']. */
function classify(item: PolicyItem, advice: Advice[], rejected: PolicyWarning[]): OriginPolicy | null {
  const { request: req, verdict } = item;
  const kind = verdict.kind;
  switch (kind) {
    case 'allowed':
      return null; // already passes; see foldAllowed for why it still counts when merging
    case 'allowed-hidden-headers':
      return draftFor(item, advice, rejected);
    case 'blocked': {
      const client = clientOnlyReason(verdict.reason.corsError);
      if (client === null) return draftFor(item, advice, rejected);
      advise(advice, client, req, httpOriginOf(req.url));
      return null;
    }
    case 'not-cors': {
      const code = notCorsAdvice(verdict.why, req, verdict.detail);
      if (code !== null) {
        advice.push({
          code,
          requestIds: [req.id],
          targetOrigin: httpOriginOf(req.url),
          message: notCorsMessage(code, verdict, req),
        });
      }
      return null;
    }
    case 'unknown':
      advise(advice, 'unknown-verdict', req, httpOriginOf(req.url), verdict.missing.join(', ') || 'data');
      return null;
    default:
      return exhaustive(kind);
  }
}

/**
 * Requests that already pass to an origin that needs a fix join its merged policy (without changes of
 * their own): a replacement config must keep them working.
 */
function foldAllowed(allowedItems: PolicyItem[], merged: Map<string, OriginPolicy>, rejected: PolicyWarning[]): void {
  for (const item of allowedItems) {
    const target = httpOriginOf(exchangeAt(item.request, item.verdict)?.url ?? item.request.url);
    const into = target ? merged.get(target) : undefined;
    if (!into) continue;
    const d = draftFor(
      { request: item.request, verdict: { ...item.verdict, kind: 'allowed-hidden-headers', hiddenHeaders: [] } },
      [],
      rejected,
    );
    if (d) {
      d.changes = [];
      mergeInto(into, d);
    }
  }
}

/** Advice with the same code, message and target becomes one entry listing every request. */
function mergeAdvice(advice: Advice[]): Advice[] {
  const mergedAdvice: Advice[] = [];
  for (const a of advice) {
    const same = mergedAdvice.find(
      (x) => x.code === a.code && x.message === a.message && x.targetOrigin === a.targetOrigin,
    );
    if (same) for (const id of a.requestIds) pushUnique(same.requestIds, id);
    else mergedAdvice.push({ ...a, requestIds: [...a.requestIds] });
  }
  return mergedAdvice;
}

/**
 * From verdicts, the minimal server policy per target origin that makes the blocked requests pass and
 * the hidden headers readable, plus per-request policies and client-side advice.
 *
 * Requests that already pass (`allowed`) to an origin that needs a fix are folded into that origin's
 * merged policy too: a replacement config must keep them working.
 */
export function derivePolicy(items: PolicyItem[]): DerivedPolicies {
  const advice: Advice[] = [];
  const rejected: PolicyWarning[] = [];
  const perRequest: OriginPolicy[] = [];
  const merged = new Map<string, OriginPolicy>();
  const allowedItems: PolicyItem[] = [];
  for (const item of items) {
    if (item.verdict.kind === 'allowed') allowedItems.push(item);
    const d = classify(item, advice, rejected);
    if (!d) continue;
    perRequest.push(normalize(clonePolicy(d)));
    const existing = merged.get(d.targetOrigin);
    if (existing) mergeInto(existing, d);
    else merged.set(d.targetOrigin, clonePolicy(d));
  }
  foldAllowed(allowedItems, merged, rejected);
  return {
    policies: [...merged.values()].map(normalize),
    perRequest,
    clientSideAdvice: mergeAdvice(advice),
    warnings: rejected,
  };
}
