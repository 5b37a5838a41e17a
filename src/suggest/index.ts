// Public API of the suggestion generator: observed failures → per-request and per-origin fixes
// (exact response headers + framework config). Used by the CLI (`explain --framework`, `frameworks`) and the panel.
import type { Header } from '../engine/types';
import { FRAMEWORKS, type ConfigLanguage } from './frameworks/index';
import { headerPlan } from './frameworks/common';
import { derivePolicy, type Advice, type OriginPolicy, type PolicyItem } from './policy';

export { derivePolicy } from './policy';
export type { Advice, DerivedPolicies, OriginPolicy, PolicyChange, PolicyItem, PolicyWarning } from './policy';
export { guessFramework, type FrameworkGuess } from './guess';
export type { FrameworkRenderer, RenderedConfig, ConfigLanguage } from './frameworks/index';

export interface FrameworkInfo {
  id: string;
  label: string;
  targetVersion: string;
  language: ConfigLanguage;
}

export interface Fix {
  targetOrigin: string;
  requestIds: string[];
  responseHeaders: { preflight: Header[]; actual: Header[] };
  config: { framework: string; code: string; warnings: string[]; filename?: string };
  /** What to change and why (from the block reasons), then policy warnings. */
  notes: string[];
}

export interface SuggestedFixes {
  perRequest: Fix[];
  perOrigin: Fix[];
  /** Failures the server cannot fix (no-cors, mixed content, same-origin mode, LNA…). */
  clientSideAdvice: Advice[];
  /** Inputs left out because they could not be rendered safely (escaped for display). */
  warnings: string[];
}

export function listFrameworks(): FrameworkInfo[] {
  return FRAMEWORKS.map(({ id, label, targetVersion, language }) => ({ id, label, targetVersion, language }));
}

function toFix(p: OriginPolicy, frameworkId: string): Fix {
  const renderer = FRAMEWORKS.find((f) => f.id === frameworkId);
  if (!renderer) throw new Error(`unknown framework ${JSON.stringify(frameworkId)}; known: ${FRAMEWORKS.map((f) => f.id).join(', ')}`);
  const rendered = renderer.render(p);
  const notes = [
    ...p.changes.map((c) => c.message),
    ...p.warnings.map((w) => (w.severity === 'danger' ? `DANGER: ${w.message}` : w.message)),
  ];
  if (p.allowOrigins.length > 1) {
    notes.push(`Access-Control-Allow-Origin must echo the request's Origin when it is one of ${p.allowOrigins.join(', ')} (shown for the first).`);
  }
  return {
    targetOrigin: p.targetOrigin,
    requestIds: [...p.requestIds],
    responseHeaders: headerPlan(p, p.allowOrigins[0] ?? 'null'),
    config: { framework: renderer.id, code: rendered.code, warnings: rendered.warnings, ...(rendered.filename ? { filename: rendered.filename } : {}) },
    notes,
  };
}

/** Fixes for the given requests in one framework's syntax: one per request and one merged per target origin. */
export function suggestFix(items: PolicyItem[], frameworkId: string): SuggestedFixes {
  if (!FRAMEWORKS.some((f) => f.id === frameworkId)) {
    throw new Error(`unknown framework ${JSON.stringify(frameworkId)}; known: ${FRAMEWORKS.map((f) => f.id).join(', ')}`);
  }
  const derived = derivePolicy(items);
  return {
    perRequest: derived.perRequest.map((p) => toFix(p, frameworkId)),
    perOrigin: derived.policies.map((p) => toFix(p, frameworkId)),
    clientSideAdvice: derived.clientSideAdvice,
    warnings: derived.warnings.map((w) => w.message),
  };
}
