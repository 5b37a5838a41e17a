// The saved watch scope "Tabs I inspect" (src/capture/tab-watch.ts), kept in storage.local so it outlives
// the browser session; the watched tabs themselves live in storage.session with the capture.
import { browser } from './browser';

const KEY = 'cors-lens:opened-tabs-only';

export async function openedTabsOnly(): Promise<boolean> {
  try {
    return (await browser.storage.local.get(KEY))[KEY] === true;
  } catch {
    return false;
  }
}

export async function saveOpenedTabsOnly(on: boolean): Promise<void> {
  await browser.storage.local.set({ [KEY]: on });
}

/** Calls `changed` when the saved scope changes (in this page, another panel or the popup). */
export function onOpenedTabsOnlyChanged(changed: () => void): () => void {
  const fn = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && KEY in changes) changed();
  };
  browser.storage.onChanged.addListener(fn);
  return () => browser.storage.onChanged.removeListener(fn);
}
