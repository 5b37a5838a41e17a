// The request filter of the panel and the HAR tab, in the syntax of DevTools' Network filter: words match anywhere a
// user would look (URL, method, status, reason in words, CorsError name, header names), `domain:` and `status-code:`
// narrow to one property, `-` before a term excludes what it matches, and every term must hold.
import type { ObservedRequest, Verdict } from '../engine/types';
import { reasonWords } from './reason-words';

export interface FilterTerm {
  negate: boolean;
  key: 'text' | 'domain' | 'status-code' | 'method' | 'verdict';
  value: string;
}

const KEYS = new Set(['domain', 'status-code', 'method', 'verdict']);

/** Splits what the user typed into terms; `key:value` with an unknown key is plain text. */
export function parseFilter(text: string): FilterTerm[] {
  const terms: FilterTerm[] = [];
  for (const raw of text.trim().toLowerCase().split(/\s+/)) {
    if (!raw) continue;
    const negate = raw.startsWith('-') && raw.length > 1;
    const t = negate ? raw.slice(1) : raw;
    const colon = t.indexOf(':');
    const key = colon > 0 ? t.slice(0, colon) : '';
    if (KEYS.has(key) && colon < t.length - 1)
      terms.push({ negate, key: key as FilterTerm['key'], value: t.slice(colon + 1) });
    else terms.push({ negate, key: 'text', value: t });
  }
  return terms;
}

/** What the terms are compared with, lowercased once per request. */
export interface FilterTarget {
  url: string;
  host: string;
  method: string;
  statuses: string[];
  verdict: string;
  /** URL, method, statuses, reason words, CorsError and Firefox reason names, header names: one string, \n-separated. */
  haystack: string;
}

export function filterTarget(r: ObservedRequest, v: Verdict): FilterTarget {
  // Everything goes into one array, joined and lowercased once: the first keystroke builds this for every row,
  // where a string per header name cost seconds on a large capture.
  const parts: string[] = [r.url, r.method, v.kind];
  const statuses: string[] = [];
  for (const x of r.exchanges) {
    if (x.response) statuses.push(String(x.response.status));
    if (x.requestHeaders) for (const h of x.requestHeaders) parts.push(h.name);
    if (x.response) for (const h of x.response.headers) parts.push(h.name);
  }
  if (r.outcome.kind === 'completed') statuses.push(String(r.outcome.status));
  parts.push(...statuses);
  if (v.kind === 'blocked') parts.push(reasonWords(r, v), v.reason.corsError, v.reason.firefoxReason, 'cors error');
  else if (v.kind === 'allowed-hidden-headers') parts.push('hidden', ...v.hiddenHeaders);
  else if (v.kind === 'not-cors') parts.push(v.why);
  const url = r.url.toLowerCase();
  return {
    url,
    host: hostOf(url),
    method: r.method.toLowerCase(),
    statuses,
    verdict: v.kind,
    haystack: parts.join('\n').toLowerCase(),
  };
}

function hostOf(url: string): string {
  const s = url.indexOf('://');
  if (s < 0) return '';
  const rest = url.slice(s + 3);
  const end = rest.search(/[/?#]/);
  const auth = end < 0 ? rest : rest.slice(0, end);
  const host = auth.slice(auth.lastIndexOf('@') + 1);
  // Without the port, as Network's domain: does (a [v6] host keeps its brackets).
  return host.replace(/:\d+$/, '');
}

function termHolds(t: FilterTerm, x: FilterTarget): boolean {
  switch (t.key) {
    case 'text':
      return x.haystack.includes(t.value);
    // A domain matches itself and its subdomains; `*.example.com` only the subdomains.
    case 'domain':
      return t.value.startsWith('*.')
        ? x.host.endsWith(t.value.slice(1))
        : x.host === t.value || x.host.endsWith(`.${t.value}`);
    case 'status-code':
      return x.statuses.includes(t.value);
    case 'method':
      return x.method === t.value;
    case 'verdict':
      return x.verdict.startsWith(t.value);
  }
}

export function matchesFilter(terms: FilterTerm[], x: FilterTarget): boolean {
  for (const t of terms) if (termHolds(t, x) === t.negate) return false;
  return true;
}
