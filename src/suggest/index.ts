// Public API of the suggestion generator: observed failures → per-request and per-origin fixes
// (exact response headers + framework config). Used by the CLI (`explain --framework`, `frameworks`) and the panel.
import { FRAMEWORKS, type ConfigLanguage } from './frameworks/index';
import { toFix, type Fix } from './to-fix';
import { derivePolicy, type Advice, type PolicyItem } from './policy';

export { derivePolicy } from './policy';
export type { Fix } from './to-fix';
export {
  suggestMergedFix,
  mergedFixForOrigin,
  fixTargetOf,
  requestsTo,
  mergeWithToday,
  type MergedFix,
  type MergedFixes,
  type OriginFix,
} from './merged';
export { serverToday, type ServerToday } from './today';
export { refusedByPreflight, type Refused } from './refused';
export type { Advice, DerivedPolicies, OriginPolicy, PolicyChange, PolicyItem, PolicyWarning } from './policy';
export { guessFramework, type FrameworkGuess } from './guess';
export type { FrameworkRenderer, RenderedConfig, ConfigLanguage } from './frameworks/index';

export interface FrameworkInfo {
  id: string;
  label: string;
  targetVersion: string;
  language: ConfigLanguage;
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

/** Fixes for the given requests in one framework's syntax: one per request and one merged per target origin. */
export function suggestFix(items: PolicyItem[], frameworkId: string): SuggestedFixes {
  if (!FRAMEWORKS.some((f) => f.id === frameworkId)) {
    throw new Error(
      `unknown framework ${JSON.stringify(frameworkId)}; known: ${FRAMEWORKS.map((f) => f.id).join(', ')}`,
    );
  }
  const derived = derivePolicy(items);
  return {
    perRequest: derived.perRequest.map((p) => toFix(p, frameworkId)),
    perOrigin: derived.policies.map((p) => toFix(p, frameworkId)),
    clientSideAdvice: derived.clientSideAdvice,
    warnings: derived.warnings.map((w) => w.message),
  };
}
export { fixText, fixesTextLines } from './fix-text';
