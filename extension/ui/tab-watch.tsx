// The watch scope "Tabs I inspect" as the panel and the popup see it (src/capture/tab-watch.ts): opening
// either marks the tab watched, and until the tab's page loads again they say what is missing and offer the reload.
import { useEffect, useState } from 'react';
import type { TabWatchState } from '../../src/capture';
import { request } from '../platform/client';
import { reloadPage } from '../platform/site-access';
import { onOpenedTabsOnlyChanged } from '../platform/watch-scope';

/**
 * Marks the tab watched (DevTools or the popup is open on it) and follows its state until its page has loaded since.
 * `pageLoads`: a count that changes when the tab's page loads (the panel's log meta), to ask again at once.
 */
export function useTabWatch(tabId: number | null, pageLoads?: number): TabWatchState | null {
  const [state, setState] = useState<TabWatchState | null>(null);
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    // The worker switches scope before the choice is saved, so a page told of the change asks a worker that agrees.
    return onOpenedTabsOnlyChanged(() => setChanges((n) => n + 1));
  }, []);
  useEffect(() => {
    if (tabId === null) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      request('watchTab', { tabId }).then(
        (st) => {
          if (!live) return;
          setState(st);
          // Asked again (cheap: no log crosses) until the page has loaded since the tab was opened: the notice then
          // goes. The panel also asks at once on each navigation (pageLoads).
          if (st.openedOnly && !st.pageLoadedSince) timer = setTimeout(ask, 2_000);
        },
        () => {
          if (live) timer = setTimeout(ask, 2_000);
        },
      );
    };
    ask();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [tabId, changes, pageLoads]);
  return state;
}

/** Shown while a tab watched since CORS Lens was opened on it has not loaded its page since. */
export function TabWatchNotice({ tabId, state }: { tabId: number; state: TabWatchState | null }) {
  if (!state?.openedOnly || state.pageLoadedSince || state.since === undefined) return null;
  const at = new Date(state.since).toLocaleTimeString();
  return (
    <div role="status" className="banner info" data-testid="tab-watch-notice">
      Watching this tab since {at}, when you opened DevTools or the popup on it: requests the page made before are not
      captured.{' '}
      <button type="button" data-testid="tab-watch-reload" onClick={() => reloadPage(tabId)}>
        Reload the page
      </button>
    </div>
  );
}
