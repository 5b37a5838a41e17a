// Which browser made a HAR: decides whose rules judge it when the user does not say (CLI `explain`, panel HAR tab).
import type { BrowserName } from '../engine/types';

/**
 * The browser that made a HAR, from `log.browser.name` (Playwright: "chromium", "firefox", "webkit") or else
 * `log.creator.name` (Firefox: "Firefox"; Chrome: "WebInspector"), both written before `entries` by every exporter
 * we know. Firefox's rules differ (it reports a response-side block as a completed 200), so a Firefox HAR judged
 * by Chromium's rules calls most blocked requests allowed (measured on test/unit/cli/fixtures/firefox-export.har).
 */
/**
 * Gecko browsers by the names their HAR exporters write: Firefox and its channels (Nightly, Developer Edition —
 * WebPageTest writes the bare channel name "Nightly"), and Gecko forks (LibreWolf, Waterfox, Floorp, Mullvad Browser,
 * Tor Browser, IceCat/Iceweasel, Zen).
 */
const FIREFOX_NAMES =
  /firefox|gecko|nightly|developer edition|librewolf|waterfox|floorp|mullvad|tor browser|icecat|iceweasel|\bzen\b/i;

export function browserOfHar(head: string): BrowserName | null {
  const name = (key: string) =>
    new RegExp(`"${key}"\\s*:\\s*\\{[^{}]{0,400}?"name"\\s*:\\s*"([^"\\\\]{0,100})"`).exec(head)?.[1];
  const n = name('browser') ?? name('creator');
  if (n === undefined) return null;
  return FIREFOX_NAMES.test(n) ? 'firefox' : 'chromium';
}
