// What a server allows today, read from its own CORS response headers in the capture: the origins it
// answered, credentials, the preflight's methods/headers/max-age and the headers it exposes. A fix merged
// with this keeps everything that works now (see merged.ts).
import type { ObservedRequest } from '../engine/types';
import { SAFELISTED_RESPONSE_HEADERS, headerValues, httpOriginOf } from './request-facts';
import { checkHeaderName, checkMethod, isSafeOrigin, isSafeToken, type PolicyWarning } from './validate';

export interface ServerToday {
  targetOrigin: string;
  /** Whether any response from this origin carried a CORS header at all. */
  sendsCors: boolean;
  /** Exact origins the server put in Access-Control-Allow-Origin (first-seen order). */
  origins: string[];
  /** Access-Control-Allow-Origin: * was seen. */
  wildcardOrigin: boolean;
  /** Access-Control-Allow-Credentials: true was seen. */
  credentials: boolean;
  /** Access-Control-Allow-Methods names as sent (case kept, safelisted ones included), without `*`. */
  methods: string[];
  methodsWildcard: boolean;
  /** Access-Control-Allow-Headers names as sent (case kept for display; compared lowercased), without `*`. */
  headers: string[];
  headersWildcard: boolean;
  /** Access-Control-Expose-Headers names as sent, without `*`. */
  exposeHeaders: string[];
  exposeWildcard: boolean;
  /** Response header names a `*` in Access-Control-Expose-Headers made readable (non-credentialed), so a list keeps them. */
  wildcardExposed: string[];
  /** Largest valid Access-Control-Max-Age seen, or null. */
  maxAge: number | null;
  warnings: PolicyWarning[];
}

/** Comma-separated list items, trimmed, empty ones dropped (the header grammar is checked per item later). */
function listItems(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function pushNoCase(list: string[], v: string): void {
  if (!list.some((x) => x.toLowerCase() === v.toLowerCase())) list.push(v);
}

/** Exchanges of `req` whose URL is on `target` and that got a response. */
function answered(req: ObservedRequest, target: string) {
  return req.exchanges.filter((e) => e.response && httpOriginOf(e.url) === target);
}

/** The CORS policy `target` shows in its responses across every observed request to it. */
export function serverToday(requests: readonly ObservedRequest[], target: string): ServerToday {
  const t: ServerToday = {
    targetOrigin: target,
    sendsCors: false,
    origins: [],
    wildcardOrigin: false,
    credentials: false,
    methods: [],
    methodsWildcard: false,
    headers: [],
    headersWildcard: false,
    exposeHeaders: [],
    exposeWildcard: false,
    wildcardExposed: [],
    maxAge: null,
    warnings: [],
  };
  const ctx = `the server's response headers (${target})`;
  for (const req of requests) {
    for (const e of answered(req, target)) {
      const hs = e.response!.headers;
      const acao = headerValues(hs, 'access-control-allow-origin');
      if (acao.some((h) => h.length > 0) || headerValues(hs, 'access-control-allow-credentials').length)
        t.sendsCors = true;
      // One value only: a list or two header lines is the bug being fixed, not a policy to keep.
      if (acao.length === 1) {
        const v = acao[0].trim();
        if (v === '*') t.wildcardOrigin = true;
        else if (isSafeOrigin(v) && !t.origins.includes(v)) t.origins.push(v);
      }
      if (headerValues(hs, 'access-control-allow-credentials').some((v) => v.trim() === 'true')) t.credentials = true;
      if (e.kind === 'preflight') readPreflight(t, hs, ctx);
      else {
        for (const raw of listItems(headerValues(hs, 'access-control-expose-headers'))) {
          if (raw === '*') {
            t.exposeWildcard = true;
            keepWildcardExposed(t, hs);
            continue;
          }
          const n = checkHeaderName(raw, t.warnings, ctx);
          if (n !== null) pushNoCase(t.exposeHeaders, raw);
        }
      }
    }
  }
  return t;
}

/** Names `*` exposed on this response: every header but the safelisted ones, CORS headers and Set-Cookie. */
function keepWildcardExposed(t: ServerToday, hs: { name: string; value: string }[]): void {
  for (const h of hs) {
    const n = h.name.toLowerCase();
    if (
      SAFELISTED_RESPONSE_HEADERS.has(n) ||
      n.startsWith('access-control-') ||
      n === 'set-cookie' ||
      n === 'set-cookie2'
    )
      continue;
    if (isSafeToken(n) && !t.wildcardExposed.includes(n)) t.wildcardExposed.push(n);
  }
}

function readPreflight(t: ServerToday, hs: { name: string; value: string }[], ctx: string): void {
  for (const raw of listItems(headerValues(hs, 'access-control-allow-methods'))) {
    if (raw === '*') {
      t.methodsWildcard = true;
      continue;
    }
    const m = checkMethod(raw, t.warnings, ctx);
    if (m !== null && !t.methods.includes(m)) t.methods.push(m);
  }
  for (const raw of listItems(headerValues(hs, 'access-control-allow-headers'))) {
    if (raw === '*') {
      t.headersWildcard = true;
      continue;
    }
    const n = checkHeaderName(raw, t.warnings, ctx);
    if (n !== null) pushNoCase(t.headers, raw);
  }
  const age = headerValues(hs, 'access-control-max-age')[0]?.trim();
  if (age !== undefined && /^[0-9]{1,6}$/.test(age)) {
    const n = Number(age);
    if (n <= 86400 && (t.maxAge === null || n > t.maxAge)) t.maxAge = n;
  }
}
