// Shared by every framework renderer: the renderer contract, a re-validation of the policy (render() is
// public API and may receive a hand-built policy), string-literal helpers, and the exact header plan.
import type { Header } from '../../engine/types';
import type { OriginPolicy } from '../policy';
import { describeValue, isSafeOrigin, isSafeToken } from '../validate';

export type ConfigLanguage =
  | 'python'
  | 'javascript'
  | 'typescript'
  | 'nginx'
  | 'apache'
  | 'caddyfile'
  | 'go'
  | 'java'
  | 'csharp'
  | 'ruby'
  | 'php'
  | 'json'
  | 'http';

export interface RenderedConfig {
  code: string;
  /** Where the snippet goes, when the framework has a conventional file for it. */
  filename?: string;
  warnings: string[];
}

export interface FrameworkRenderer {
  id: string;
  label: string;
  /** The version the generated code was written and checked against. */
  targetVersion: string;
  language: ConfigLanguage;
  /** What the framework allows or adds by itself that the rendered config relies on or replaces. */
  defaults: string;
  render(policy: OriginPolicy): RenderedConfig;
}

/** Characters any value may contain once it reaches a renderer (origins ∪ config-safe tokens ∪ ", " lists). */
const PLAIN = /^[A-Za-z0-9!&+.^_|~:/[\], -]+$/;

/**
 * Last line of defence: a value outside PLAIN never reaches a template. safePolicy() already filtered,
 * so this throwing means a renderer bug, not hostile input.
 */
export function plain(s: string): string {
  if (!PLAIN.test(s)) throw new Error(`refusing to render unsafe value ${describeValue(s)}`);
  return s;
}

/** An anchored regex built with regexEscape() from plain origins: PLAIN plus the regex metacharacters it adds. */
export function plainRegex(s: string): string {
  if (!/^\^[A-Za-z0-9!&+.^_|~:/[\]\\$()-]+\$$/.test(s))
    throw new Error(`refusing to render unsafe pattern ${describeValue(s)}`);
  return s;
}

/** Single-quoted literal (JS, Ruby, PHP). */
export const sq = (s: string): string => `'${plain(s)}'`;
/** Double-quoted literal (Python, Go, Java, C#, JSON, nginx, Apache, Caddyfile). */
export const dq = (s: string): string => `"${plain(s)}"`;

/** The policy with every value re-checked; dropped values become warnings. */
export function safePolicy(policy: OriginPolicy): { p: OriginPolicy; warnings: string[] } {
  const warnings: string[] = [];
  const keep = (list: string[], ok: (v: string) => boolean, what: string) =>
    list.filter((v) => {
      if (ok(v)) return true;
      warnings.push(`Left out ${what} ${describeValue(v)}: not safe to write into a config file.`);
      return false;
    });
  const maxAge = Number.isInteger(policy.maxAge) && policy.maxAge >= 0 && policy.maxAge <= 86400 ? policy.maxAge : 600;
  const p: OriginPolicy = {
    ...policy,
    targetOrigin: isSafeOrigin(policy.targetOrigin) ? policy.targetOrigin : 'https://api.example.com',
    allowOrigins: keep(policy.allowOrigins, (o) => o === 'null' || isSafeOrigin(o), 'origin'),
    methods: keep(policy.methods, isSafeToken, 'method'),
    requestHeaders: keep(policy.requestHeaders, isSafeToken, 'header').map((h) => h.toLowerCase()),
    exposeHeaders: keep(policy.exposeHeaders, isSafeToken, 'header').map((h) => h.toLowerCase()),
    paths: policy.paths.filter((x) => /^\/[A-Za-z0-9._~!&+,;=:@%/-]*$/.test(x) && !x.includes('%')),
    maxAge,
  };
  if (!isSafeOrigin(policy.targetOrigin))
    warnings.push(`Target origin ${describeValue(policy.targetOrigin)} is not a valid origin.`);
  if (p.allowOrigins.length === 0)
    warnings.push('No valid page origin to allow: the config below allows nobody; fill in your page origin.');
  if (p.allowOrigins.includes('null')) {
    warnings.push('DANGER: `null` is allowed — any sandboxed iframe or file: page can then read these responses.');
  }
  return { p, warnings };
}

/** GET, HEAD, POST plus the needed methods: for servers that check the method themselves. */
export function methodsWithSafelisted(p: OriginPolicy): string[] {
  const out = ['GET', 'HEAD', 'POST'];
  for (const m of p.methods) if (!out.includes(m)) out.push(m);
  return out;
}

export function hasChange(p: OriginPolicy, code: OriginPolicy['changes'][number]['code']): boolean {
  return p.changes.some((c) => c.code === code);
}

/** Warning added by every app-level renderer when a proxy and the app both send ACAO. */
export const DUPLICATE_LAYER_APP =
  'Two layers sent Access-Control-Allow-Origin: if a reverse proxy (nginx, a CDN, API gateway) also adds CORS headers, remove them there once this is in place.';

/** The exact response headers the policy asks for, given the request's Origin. */
export function headerPlan(p: OriginPolicy, origin: string): { preflight: Header[]; actual: Header[] } {
  const common: Header[] = [{ name: 'Access-Control-Allow-Origin', value: origin }];
  if (p.credentials) common.push({ name: 'Access-Control-Allow-Credentials', value: 'true' });
  const preflight: Header[] = [...common];
  if (p.methods.length) preflight.push({ name: 'Access-Control-Allow-Methods', value: p.methods.join(', ') });
  if (p.requestHeaders.length)
    preflight.push({ name: 'Access-Control-Allow-Headers', value: p.requestHeaders.join(', ') });
  preflight.push({ name: 'Access-Control-Max-Age', value: String(p.maxAge) });
  preflight.push({ name: 'Vary', value: 'Origin' });
  const actual: Header[] = [...common];
  if (p.exposeHeaders.length) actual.push({ name: 'Access-Control-Expose-Headers', value: p.exposeHeaders.join(', ') });
  actual.push({ name: 'Vary', value: 'Origin' });
  return { preflight: p.preflight ? preflight : [], actual };
}

/** `p.methods` joined for ACAM, or a comment-safe placeholder when none is needed. */
export const joinList = (xs: string[]): string => xs.map(plain).join(', ');
