// The watch setting: "All sites" (CORS Lens holds <all_urls>: every request of every tab goes through the browser
// process, the cost of webRequest with extraHeaders), "Sites I choose" (only sites granted one by one; the others
// are not observed and cost less: docs/performance.md), or "Tabs I inspect" (every site may be observed, but
// the worker keeps only the tabs where DevTools or the popup was opened: src/capture/tab-watch.ts). The first two are the
// browser's permission state itself, read back on every change, so they never disagree with what the browser's own
// site-access controls say (docs/site-access.md); the third is CORS Lens's own choice, saved in storage.local.
import { useEffect, useState } from 'react';
import {
  onSiteAccessChanged,
  openBrowserSiteSettings,
  setWatchMode,
  watchMode,
  type WatchMode,
} from '../platform/site-access';
import { onOpenedTabsOnlyChanged, openedTabsOnly } from '../platform/watch-scope';
import { request } from '../platform/client';

type Choice = WatchMode | 'opened';

/** `tabId`: the tab this panel or popup is open on, watched from now on when the choice is "Tabs I inspect". */
export function WatchModeSelect({ tabId }: { tabId?: number | null }) {
  const [mode, setMode] = useState<Choice | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    const read = () => {
      Promise.all([watchMode(), openedTabsOnly()]).then(
        ([m, opened]) => setMode(opened ? 'opened' : m),
        () => setMode(null),
      );
    };
    read();
    const offAccess = onSiteAccessChanged(read);
    const offScope = onOpenedTabsOnlyChanged(read);
    return () => {
      offAccess();
      offScope();
    };
  }, []);
  if (mode === null) return null;
  const change = (next: Choice) => {
    setNote(null);
    // The permission request goes first, straight from the change event: browsers accept one only during a user
    // action. "Tabs I inspect" asks for every site, since any tab may be opened.
    const access = setWatchMode(next === 'opened' ? 'all' : next);
    const scope = request('setWatchScope', { openedTabsOnly: next === 'opened', tabId: tabId ?? undefined });
    Promise.all([access, scope]).then(
      ([r]) => {
        // The select shows what the browser and the worker now hold: both changes are read back by the listeners
        // above (a refused request or Chromium's own settings change nothing, and the select keeps its value).
        if (r === 'refused') setNote('The browser did not grant access to all sites.');
        if (r === 'browser-settings') setNote('browser-settings');
      },
      (e) => setNote(String(e)),
    );
  };
  return (
    <span className="watch-mode">
      <label title="All sites: every request of every tab is observed (and slowed). Sites I choose: only sites you allow; the others are not observed and slowed less. Tabs I inspect: only tabs where you opened DevTools or the CORS Lens popup, from then on; other tabs are still slowed, but nothing of them is read or kept.">
        Watch{' '}
        <select value={mode} data-testid="watch-mode" onChange={(e) => change(e.target.value as Choice)}>
          <option value="all">All sites</option>
          <option value="chosen">Sites I choose</option>
          <option value="opened">Tabs I inspect</option>
        </select>
      </label>
      {note === 'browser-settings' ? (
        <span role="status" data-testid="watch-mode-note">
          {' '}
          This browser keeps that choice in its own settings: set CORS Lens's site access to “On specific sites”.{' '}
          <button type="button" onClick={() => void openBrowserSiteSettings()}>
            Open
          </button>
        </span>
      ) : (
        note && (
          <span role="status" data-testid="watch-mode-note">
            {' '}
            {note}
          </span>
        )
      )}
    </span>
  );
}
