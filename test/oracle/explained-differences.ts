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

export const explainedDifferences: ExplainedDifference[] = [
  {
    browser: 'chromium', scenario: 'mode-no-cors-redirect-manual', run: 'with-hints',
    reason: 'fetch() rejects mode:no-cors + redirect:manual before any request exists; the redirect mode is neither on the wire nor in the hints (mode/credentials only), so the engine can only see a no-cors request that never completed',
    source: 'https://fetch.spec.whatwg.org/#main-fetch (no-cors with a redirect mode other than follow is a network error); https://source.chromium.org/chromium/chromium/src/+/main:third_party/blink/renderer/core/fetch/fetch_manager.cc (RendererCorsIssueCode::kNoCorsRedirectModeNotFollow)',
  },
];
