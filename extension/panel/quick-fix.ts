// The config that fixes one request, for the detail header's "Copy fix" button: the framework the user picked, else
// the one the response headers betray, else the raw response headers. The Fix tab shows the same fix in full.
import { useMemo } from 'react';
import type { WireEntry } from '../protocol/messages';
import { needsServerFix } from '../../src/engine';
import { guessFramework, listFrameworks, suggestFix } from '../../src/suggest';

const FRAMEWORKS = listFrameworks();

export interface QuickFix {
  code: string;
  label: string;
}

export function needsFix(e: WireEntry): boolean {
  return needsServerFix(e.verdict);
}

/** The framework the fix is written for when the user has not chosen one. */
export function guessedFramework(e: WireEntry): { id: string; because: string } | null {
  for (const x of [...e.request.exchanges].reverse())
    if (x.response) {
      const g = guessFramework(x.response.headers);
      if (g) return g;
    }
  return null;
}

export function quickFix(entry: WireEntry, framework: string | null): QuickFix | null {
  if (!needsFix(entry)) return null;
  const fw = framework ?? guessedFramework(entry)?.id ?? 'raw-headers';
  try {
    const fix = suggestFix([{ request: entry.request, verdict: entry.verdict }], fw).perRequest[0];
    if (!fix) return null;
    const label = fw === 'raw-headers' ? 'response headers' : (FRAMEWORKS.find((f) => f.id === fw)?.label ?? fw);
    return { code: fix.config.code, label };
  } catch {
    return null;
  }
}

export function useQuickFix(entry: WireEntry, framework: string | null): QuickFix | null {
  return useMemo(() => quickFix(entry, framework), [entry, framework]);
}
