// Recordings the engine is allowed to disagree with: cases where the browser's decision cannot be reproduced from
// the headers an observer sees (plus the mode/credentials hints). Each entry names why and links browser source.
import type { BrowserName } from '../../src/engine/types';

export interface ExplainedDifference {
  browser: BrowserName;
  scenario: string;
  /** Logical request within the scenario; all of them when omitted. */
  requestId?: string;
  /** Which oracle run it applies to: with the recording's mode/credentials hints, without them, or both. */
  run: 'with-hints' | 'without-hints' | 'both';
  reason: string;
  /** Browser source (or spec) proving the point. */
  source: string;
}

// Empty: the engine reproduces every recording (the last entry, mode-no-cors-redirect-manual, is now derived
// from the failed no-cors fetch: Chromium's NoCorsRedirectModeNotFollow).
export const explainedDifferences: ExplainedDifference[] = [];
