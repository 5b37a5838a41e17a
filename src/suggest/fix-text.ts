// The merged fix as plain text lines, shared by `explain --framework`, `probe --framework` and the demo:
// the change against today's headers first, then what is narrowed and why, then the full config.
// Callers sanitize each line for their output (terminal, Markdown).
import type { MergedFix, MergedFixes } from './merged';

export interface FixText {
  heading: string;
  /** The heading without the origin and framework, for outputs that show those elsewhere. */
  intro: string;
  /** The change, one line each. */
  diff: string[];
  /** What the config removes compared with today, and why. */
  narrowing: string[];
  notes: string[];
  /** Title of the full config block. */
  configTitle: string;
  code: string;
  defaults: string;
}

export function fixText(fix: MergedFix): FixText {
  const where = `${fix.config.framework}${fix.config.filename ? `, ${fix.config.filename}` : ''}`;
  const scope =
    fix.scope === 'origin'
      ? `${fix.requestIds.length} request${fix.requestIds.length === 1 ? '' : 's'} seen`
      : 'one request';
  const intro = fix.replacement
    ? `The server sends no CORS headers today, so this is a new config (${scope}):`
    : `Change against what the server sends now (${scope}):`;
  return {
    heading: `Fix for ${fix.targetOrigin} (${where}) — ${intro.charAt(0).toLowerCase()}${intro.slice(1)}`,
    intro,
    diff: fix.diff,
    narrowing: fix.narrowing,
    notes: fix.notes,
    configTitle: fix.replacement
      ? 'Full config:'
      : 'Full config (a full replacement for your current CORS setup; it keeps everything that works today):',
    code: fix.config.code,
    defaults: fix.defaults,
  };
}

/** One merged fix for a terminal: the change first, what is narrowed, notes, then the full config (`explain`, `probe`, the demo). */
export function fixTextLines(fix: MergedFix, clean: (s: string, max: number) => string): string[] {
  const t = fixText(fix);
  const out = [clean(t.heading, 300)];
  for (const d of t.diff) out.push(`  + ${clean(d, 600)}`);
  for (const n of t.narrowing) out.push(`  ! ${clean(n, 600)}`);
  for (const n of t.notes) out.push(`  - ${clean(n, 400)}`);
  out.push('', `  ${clean(t.configTitle, 200)}`, '');
  // The config is code: keep its lines, but strip escapes and bidi controls from each.
  for (const line of t.code.split('\n')) out.push(`    ${clean(line, 400)}`);
  out.push(`  Framework defaults: ${clean(t.defaults, 400)}`, '');
  return out;
}

/** Every merged fix, then the client-side advice, as terminal lines: the one fix text of `explain` and `probe`. */
export function fixesTextLines(fixes: MergedFixes, clean: (s: string, max: number) => string): string[] {
  const out: string[] = [];
  for (const fix of fixes.perOrigin) out.push(...fixTextLines(fix, clean));
  for (const a of fixes.clientSideAdvice) out.push(`Client side: ${clean(a.message, 400)}`);
  return out;
}
