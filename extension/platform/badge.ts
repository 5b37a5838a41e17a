// The toolbar badge: number of blocked requests in a tab, red when non-zero. Badge calls are IPC to the browser
// process, so a burst of blocked requests updates each tab's badge at most every BADGE_INTERVAL_MS (the last value
// always lands), and the colour is set once for all tabs.
import { browser } from './browser';

const BADGE_INTERVAL_MS = 200;
const shown = new Map<number, string>();
const wanted = new Map<number, string>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();
let coloured = false;

function apply(tabId: number): void {
  timers.delete(tabId);
  const text = wanted.get(tabId) ?? '';
  if (shown.get(tabId) === text) return; // skip no-ops
  shown.set(tabId, text);
  const action = browser.action;
  if (!coloured && text) {
    coloured = true;
    action.setBadgeBackgroundColor({ color: '#d93025' }).catch(() => {
      coloured = false;
    });
  }
  // A tab that closed meanwhile rejects: that is fine.
  action.setBadgeText({ tabId, text }).catch(() => {});
}

export function setBadge(tabId: number, blocked: number): void {
  const text = blocked === 0 ? '' : blocked > 999 ? '999+' : String(blocked);
  wanted.set(tabId, text);
  if (timers.has(tabId)) return; // the pending update will show the latest value
  // Clearing (navigation, "clear") shows at once; counting up waits for the burst's last value.
  if (text === '' || !shown.get(tabId)) {
    apply(tabId);
    return;
  }
  timers.set(
    tabId,
    setTimeout(() => apply(tabId), BADGE_INTERVAL_MS),
  );
}

/** Forget a closed tab. */
export function forgetBadge(tabId: number): void {
  const t = timers.get(tabId);
  if (t) clearTimeout(t);
  timers.delete(tabId);
  shown.delete(tabId);
  wanted.delete(tabId);
}
