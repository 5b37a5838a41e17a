// The toolbar badge: number of blocked requests in a tab, red when non-zero.
import { browser } from './browser';

const last = new Map<number, string>();

export function setBadge(tabId: number, blocked: number): void {
  const text = blocked === 0 ? '' : blocked > 999 ? '999+' : String(blocked);
  if (last.get(tabId) === text) return; // badge updates are IPC: skip no-ops
  last.set(tabId, text);
  const action = browser.action;
  // A tab that closed meanwhile rejects: that is fine.
  action.setBadgeText({ tabId, text }).catch(() => {});
  if (text) action.setBadgeBackgroundColor({ tabId, color: '#d93025' }).catch(() => {});
}
