// Building blocks for an OriginPolicy: an empty one, adding a change or warning once, merging two,
// and the sorted, deterministic form every caller receives.
import type { OriginPolicy, PolicyChange } from './policy-types';
import type { PolicyWarning } from './validate';

/** Suggested max-age: long enough to save round trips, short enough that a later fix shows up quickly. */
export const SUGGESTED_MAX_AGE = 600;

const MAX_AGE_NOTE =
  `Access-Control-Max-Age ${SUGGESTED_MAX_AGE}: preflights are cached for 10 minutes ` +
  '(Chromium caps any value at 7200 s, Firefox at 86400 s; without the header the browser caches 5 s).';

export function emptyPolicy(targetOrigin: string, requestId: string, path: string | null): OriginPolicy {
  return {
    targetOrigin,
    requestIds: [requestId],
    paths: path ? [path] : [],
    allowOrigins: [],
    methods: [],
    requestHeaders: [],
    credentials: false,
    exposeHeaders: [],
    maxAge: SUGGESTED_MAX_AGE,
    preflight: false,
    varyOrigin: true,
    corsOnErrors: false,
    changes: [],
    warnings: [],
  };
}

/** Records a change for a request; the same change for another request only adds its id. */
export function addChange(p: OriginPolicy, code: PolicyChange['code'], message: string, id: string): void {
  const same = p.changes.find((c) => c.code === code && c.message === message);
  if (same) {
    if (!same.requestIds.includes(id)) same.requestIds.push(id);
  } else {
    p.changes.push({ code, message, requestIds: [id] });
  }
}

export function addWarning(p: OriginPolicy, w: PolicyWarning): void {
  if (!p.warnings.some((x) => x.code === w.code && x.message === w.message)) p.warnings.push(w);
}

export function pushUnique<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

/** Merge per-request policies for the same target origin (union of everything; credentials if any). */
export function mergeInto(into: OriginPolicy, p: OriginPolicy): void {
  for (const id of p.requestIds) pushUnique(into.requestIds, id);
  for (const x of p.paths) pushUnique(into.paths, x);
  for (const x of p.allowOrigins) pushUnique(into.allowOrigins, x);
  for (const x of p.methods) pushUnique(into.methods, x);
  for (const x of p.requestHeaders) pushUnique(into.requestHeaders, x);
  for (const x of p.exposeHeaders) pushUnique(into.exposeHeaders, x);
  into.credentials ||= p.credentials;
  into.preflight ||= p.preflight;
  into.corsOnErrors ||= p.corsOnErrors;
  for (const c of p.changes) for (const id of c.requestIds) addChange(into, c.code, c.message, id);
  for (const w of p.warnings) addWarning(into, w);
}

export function clonePolicy(p: OriginPolicy): OriginPolicy {
  return {
    ...p,
    requestIds: [...p.requestIds],
    paths: [...p.paths],
    allowOrigins: [...p.allowOrigins],
    methods: [...p.methods],
    requestHeaders: [...p.requestHeaders],
    exposeHeaders: [...p.exposeHeaders],
    changes: p.changes.map((c) => ({ ...c, requestIds: [...c.requestIds] })),
    warnings: p.warnings.map((w) => ({ ...w })),
  };
}

/** Sort list fields so the merged config does not depend on capture order. */
export function normalize(p: OriginPolicy): OriginPolicy {
  p.allowOrigins.sort();
  p.methods.sort();
  p.requestHeaders.sort();
  p.exposeHeaders.sort();
  p.paths.sort();
  if (p.preflight) {
    p.warnings = p.warnings.filter((w) => w.message !== MAX_AGE_NOTE);
    p.warnings.push({ code: 'max-age', severity: 'info', message: MAX_AGE_NOTE });
  }
  return p;
}

export function exhaustive(x: never): never {
  throw new Error(`unhandled case: ${String(x)}`);
}
