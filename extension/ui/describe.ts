// Plain-words labels for verdicts, statuses and resource types, shared by the panel and the popup.
import type { ObservedRequest, ResourceType, Verdict } from '../../src/engine/types';
import { reasonWords } from '../../src/report';

/** The Reason column: what went wrong in words ("preflight rejected header x-api-key"); the CorsError name is in the detail. */
export function shortReason(r: ObservedRequest, v: Verdict): string {
  switch (v.kind) {
    case 'allowed':
      return v.preflight === 'cached' ? 'allowed (preflight from cache)' : '';
    case 'allowed-hidden-headers':
      return `hidden from script: ${v.hiddenHeaders.slice(0, 3).join(', ')}${v.hiddenHeaders.length > 3 ? '…' : ''}`;
    case 'blocked':
      return reasonWords(r, v);
    case 'not-cors':
      return v.cause === 'csp' ? "blocked by the page's CSP" : v.cause.replace(/-/g, ' ');
    case 'unknown':
      return v.missing[0] ?? 'not enough information';
  }
}

export interface StatusCell {
  /** The HTTP status the server sent ('500', '204'), '(failed)' with no response, '(pending)'; '' when unknown. */
  code: string;
  /** Network's "CORS error": the browser refused the response (or never sent the request). */
  corsError: boolean;
  /** Which response the code is from, when it is not the request's own (the preflight's). */
  title?: string;
}

/**
 * What Network's Status column says. A response that arrived shows its status even when CORS refused it; the
 * preflight's status when the request itself was never sent.
 */
export function statusOf(r: ObservedRequest, v: Verdict): StatusCell {
  const corsError = v.kind === 'blocked';
  if (r.outcome.kind === 'completed') return { code: String(r.outcome.status), corsError };
  let last: { status: number; kind: string } | null = null;
  for (const x of r.exchanges) if (x.response) last = { status: x.response.status, kind: x.kind };
  if (last)
    return {
      code: String(last.status),
      corsError,
      title: last.kind === 'preflight' ? 'status of the preflight (OPTIONS) response' : undefined,
    };
  if (r.outcome.kind === 'pending') return { code: '(pending)', corsError };
  if (r.outcome.kind === 'error') return { code: corsError ? '' : '(failed)', corsError };
  return { code: '', corsError };
}

/** Duration of the whole request (first exchange start to last exchange end), in Network's units. */
export function durationOf(r: ObservedRequest): string {
  const start = r.startedAt ?? r.exchanges[0]?.startedAt;
  let end: number | undefined;
  for (const x of r.exchanges) if (x.endedAt !== undefined) end = Math.max(end ?? 0, x.endedAt);
  if (start === undefined || end === undefined || end < start) return '';
  const ms = end - start;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function initiatorType(t: ResourceType | undefined): string {
  switch (t) {
    case 'xmlhttprequest':
      return 'fetch/XHR';
    case 'fetch':
      return 'fetch';
    case undefined:
      return '';
    default:
      return t;
  }
}
