// The one fix per target origin that every surface shows (panel, popup, `explain --framework`,
// `probe --framework`, the demo): the union of what the server allows today (its own CORS headers in the
// capture), every request seen to that origin, allowed ones included, and what the failing ones need —
// so pasting it never breaks a request that works now. Led by the change against today's headers;
// anything the safe config removes (a `*` origin, a reflected origin, `*` lists) is said, with why.
import type { ObservedRequest } from '../engine/types';
import { derivePolicy, type Advice, type OriginPolicy, type PolicyItem } from './policy';
import { SAFELISTED_METHODS, httpOriginOf } from './request-facts';
import { serverToday, type ServerToday } from './today';
import { toFix, type Fix } from './to-fix';
import { FRAMEWORKS } from './frameworks/index';

export interface MergedFix extends Fix {
  /** `origin`: every failing request to the target; `request`: one failing request (still merged with today and the working ones). */
  scope: 'origin' | 'request';
  /** The change against what the server sends now, one line each ("add PATCH to Access-Control-Allow-Methods → …"). */
  diff: string[];
  /** What the config removes compared with today, and why. */
  narrowing: string[];
  /** The server sent no CORS header at all: the config is new, not a change to an existing one. */
  replacement: boolean;
  /** Framework defaults the rendered config relies on or replaces. */
  defaults: string;
  today: ServerToday;
  /** The merged policy the config was rendered from. */
  policy: OriginPolicy;
}

export interface OriginFix {
  fix: MergedFix | null;
  clientSideAdvice: Advice[];
  warnings: string[];
}

export interface MergedFixes {
  perOrigin: MergedFix[];
  clientSideAdvice: Advice[];
  warnings: string[];
}

/** Change codes whose text is a structural change (not a list addition the diff already shows). */
const STRUCTURAL = new Set<OriginPolicy['changes'][number]['code']>([
  'single-allow-origin',
  'remove-duplicate-layer',
  'fix-allow-origin-value',
  'preflight-2xx',
  'preflight-no-redirect',
  'fix-allow-methods-syntax',
  'fix-allow-headers-syntax',
  'authorization-by-name',
  'cors-on-error-responses',
  'fix-redirect',
  'allow-null-origin',
]);

const lower = (xs: string[]): string[] => xs.map((x) => x.toLowerCase());

function targetOf(req: ObservedRequest): string[] {
  const out = new Set<string>();
  for (const e of req.exchanges) {
    const o = httpOriginOf(e.url);
    if (o) out.add(o);
  }
  const o = httpOriginOf(req.url);
  if (o) out.add(o);
  return [...out];
}

/** The derived policy widened to everything the server allows today (lists united, credentials and max-age kept). */
export function mergeWithToday(p: OriginPolicy, t: ServerToday): OriginPolicy {
  const m: OriginPolicy = {
    ...p,
    allowOrigins: [...p.allowOrigins],
    methods: [...p.methods],
    requestHeaders: [...p.requestHeaders],
    exposeHeaders: [...p.exposeHeaders],
    changes: p.changes.map((c) => ({ ...c, requestIds: [...c.requestIds] })),
    warnings: [...p.warnings],
  };
  for (const o of t.origins) if (!m.allowOrigins.includes(o)) m.allowOrigins.push(o);
  for (const x of t.methods) if (!SAFELISTED_METHODS.includes(x) && !m.methods.includes(x)) m.methods.push(x);
  for (const x of lower(t.headers)) if (!m.requestHeaders.includes(x)) m.requestHeaders.push(x);
  for (const x of lower(t.exposeHeaders)) if (!m.exposeHeaders.includes(x)) m.exposeHeaders.push(x);
  if (t.exposeWildcard) for (const x of t.wildcardExposed) if (!m.exposeHeaders.includes(x)) m.exposeHeaders.push(x);
  m.credentials ||= t.credentials;
  if (t.maxAge !== null) m.maxAge = t.maxAge;
  m.preflight ||= m.methods.length > 0 || m.requestHeaders.length > 0;
  m.allowOrigins.sort();
  m.methods.sort();
  m.requestHeaders.sort();
  m.exposeHeaders.sort();
  return m;
}

/** `add a, b to <what> → today…, a, b`, or null when nothing is added. */
function addLine(what: string, today: string[], added: string[]): string | null {
  if (!added.length) return null;
  const list = [...today, ...added].join(', ');
  return today.length ? `add ${added.join(', ')} to your existing ${what} list → ${list}` : `send ${what}: ${list}`;
}

function diffLines(m: OriginPolicy, t: ServerToday): string[] {
  const out: string[] = [];
  const newOrigins = m.allowOrigins.filter((o) => !t.origins.includes(o));
  if (!t.wildcardOrigin && newOrigins.length) {
    out.push(
      t.origins.length
        ? `add ${newOrigins.join(', ')} to the allowed origins → ${[...t.origins, ...newOrigins].join(', ')} (Access-Control-Allow-Origin echoes the one that matches)`
        : `allow the origin${newOrigins.length > 1 ? 's' : ''} ${newOrigins.join(', ')} (Access-Control-Allow-Origin echoes the one that matches, with Vary: Origin)`,
    );
  }
  if (m.credentials && !t.credentials)
    out.push('add Access-Control-Allow-Credentials: true (a request sends cookies or HTTP auth)');
  const line = (what: string, today: string[], added: string[]) => {
    const l = addLine(what, today, added);
    if (l) out.push(l);
  };
  line(
    'Access-Control-Allow-Methods',
    t.methods,
    m.methods.filter((x) => !t.methods.includes(x)),
  );
  line(
    'Access-Control-Allow-Headers',
    t.headers,
    m.requestHeaders.filter((x) => !lower(t.headers).includes(x)),
  );
  line(
    'Access-Control-Expose-Headers',
    t.exposeHeaders,
    m.exposeHeaders.filter((x) => !lower(t.exposeHeaders).includes(x)),
  );
  for (const c of m.changes) if (STRUCTURAL.has(c.code)) out.push(c.message);
  if (!out.length) out.push('no header list changes: the config below sends what the server sends today, in one place');
  return out;
}

function narrowingLines(m: OriginPolicy, t: ServerToday, reflected: boolean): string[] {
  const out: string[] = [];
  const origins = m.allowOrigins.join(', ') || '(none)';
  if (t.wildcardOrigin) {
    out.push(
      `Access-Control-Allow-Origin: * becomes the exact origin list ${origins}: ` +
        (m.credentials
          ? 'a credentialed request needs its exact origin (browsers refuse * with credentials). '
          : 'CORS Lens never writes * into a fix. ') +
        'Other sites lose access; if the API is public and no request sends credentials, keep * and apply only the list changes.',
    );
  }
  if (reflected) {
    out.push(
      `The server looks like it echoes any Origin with credentials (no Vary: Origin); this config allows only ${origins}. ` +
        "Other sites lose access on purpose: echoing every origin with credentials lets any site read your users' data.",
    );
  }
  const star = (what: string, seen: string[]) =>
    out.push(
      `${what}: * becomes the names seen (${seen.join(', ') || 'none'}): ` +
        (m.credentials
          ? 'with credentials * is a literal name, so it never allowed anything for credentialed requests.'
          : `anything else is refused from now on; keep * next to the list if clients send ${what === 'Access-Control-Allow-Methods' ? 'methods' : 'headers'} not seen here.`),
    );
  if (t.methodsWildcard) star('Access-Control-Allow-Methods', m.methods);
  if (t.headersWildcard) star('Access-Control-Allow-Headers', m.requestHeaders);
  if (t.exposeWildcard) star('Access-Control-Expose-Headers', m.exposeHeaders);
  return out;
}

/** Items about `target`: requests with any hop on it. */
function itemsFor(items: PolicyItem[], target: string): PolicyItem[] {
  return items.filter((i) => targetOf(i.request).includes(target));
}

function build(p: OriginPolicy, items: PolicyItem[], frameworkId: string, scope: MergedFix['scope']): MergedFix {
  const mine = itemsFor(items, p.targetOrigin);
  const t = serverToday(
    mine.map((i) => i.request),
    p.targetOrigin,
  );
  // The engine's 'warning' level: an echoed origin with credentials and no Vary: Origin, what blind reflection looks like.
  const reflected = mine.some((i) =>
    i.verdict.findings.some((f) => f.code === 'reflected-origin-with-credentials' && f.severity !== 'info'),
  );
  const m = mergeWithToday(p, t);
  for (const w of t.warnings) m.warnings.push(w);
  const fix = toFix(m, frameworkId);
  const renderer = FRAMEWORKS.find((f) => f.id === frameworkId)!;
  const diff = diffLines(m, t);
  return {
    // A note the diff already says once is not repeated.
    ...fix,
    notes: fix.notes.filter((n) => !diff.includes(n)),
    scope,
    diff,
    narrowing: narrowingLines(m, t, reflected),
    replacement: !t.sendsCors,
    defaults: renderer.defaults,
    today: t,
    policy: m,
  };
}

function checkFramework(frameworkId: string): void {
  if (!FRAMEWORKS.some((f) => f.id === frameworkId)) {
    throw new Error(
      `unknown framework ${JSON.stringify(frameworkId)}; known: ${FRAMEWORKS.map((f) => f.id).join(', ')}`,
    );
  }
}

/**
 * The merged fix for every target origin with a failing request. `items` is all the traffic seen
 * (allowed requests included: they are what must keep working).
 */
export function suggestMergedFix(items: PolicyItem[], frameworkId: string): MergedFixes {
  checkFramework(frameworkId);
  const derived = derivePolicy(items);
  return {
    perOrigin: derived.policies.map((p) => build(p, items, frameworkId, 'origin')),
    clientSideAdvice: derived.clientSideAdvice,
    warnings: derived.warnings.map((w) => w.message),
  };
}

/**
 * The merged fix for one target origin (null when nothing there needs a server change), with the advice
 * and left-out values for it; with `onlyRequestId`, what that one failing request needs instead of every
 * failing request's — still united with today's policy and the working requests.
 */
export function mergedFixForOrigin(
  items: PolicyItem[],
  target: string,
  frameworkId: string,
  onlyRequestId?: string,
): OriginFix {
  checkFramework(frameworkId);
  const mine = itemsFor(items, target);
  const input =
    onlyRequestId === undefined
      ? mine
      : mine.filter((i) => i.request.id === onlyRequestId || i.verdict.kind === 'allowed');
  const derived = derivePolicy(input);
  const p = derived.policies.find((x) => x.targetOrigin === target);
  return {
    fix: p ? build(p, mine, frameworkId, onlyRequestId === undefined ? 'origin' : 'request') : null,
    clientSideAdvice: derived.clientSideAdvice,
    warnings: derived.warnings.map((w) => w.message),
  };
}

/**
 * The origin whose server must change for one request: the hop at fault (a cross-origin redirect moves it
 * off the URL the page called), else the request URL's origin.
 */
export function fixTargetOf(item: PolicyItem): string | null {
  return derivePolicy([item]).perRequest[0]?.targetOrigin ?? httpOriginOf(item.request.url);
}

/** Whether more than one request went to `target` (then the per-origin fix is the default). */
export function requestsTo(items: PolicyItem[], target: string): number {
  return itemsFor(items, target).length;
}
