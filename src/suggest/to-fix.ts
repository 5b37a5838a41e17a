// A policy rendered for one framework: exact response headers, the config text, and the notes that explain it.
import type { Header } from '../engine/types';
import { FRAMEWORKS } from './frameworks/index';
import { headerPlan } from './frameworks/common';
import type { OriginPolicy } from './policy';

export interface Fix {
  targetOrigin: string;
  requestIds: string[];
  responseHeaders: { preflight: Header[]; actual: Header[] };
  config: { framework: string; code: string; warnings: string[]; filename?: string };
  /** What to change and why (from the block reasons), then policy warnings. */
  notes: string[];
}

export function toFix(p: OriginPolicy, frameworkId: string): Fix {
  const renderer = FRAMEWORKS.find((f) => f.id === frameworkId);
  if (!renderer)
    throw new Error(
      `unknown framework ${JSON.stringify(frameworkId)}; known: ${FRAMEWORKS.map((f) => f.id).join(', ')}`,
    );
  const rendered = renderer.render(p);
  const notes = [
    ...p.changes.map((c) => c.message),
    ...p.warnings.map((w) => (w.severity === 'danger' ? `DANGER: ${w.message}` : w.message)),
  ];
  if (p.allowOrigins.length > 1) {
    notes.push(
      `Access-Control-Allow-Origin must echo the request's Origin when it is one of ${p.allowOrigins.join(', ')} (shown for the first).`,
    );
  }
  return {
    targetOrigin: p.targetOrigin,
    requestIds: [...p.requestIds],
    responseHeaders: headerPlan(p, p.allowOrigins[0] ?? 'null'),
    config: {
      framework: renderer.id,
      code: rendered.code,
      warnings: rendered.warnings,
      ...(rendered.filename ? { filename: rendered.filename } : {}),
    },
    notes,
  };
}
