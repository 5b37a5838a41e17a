// Whether the page observer wraps fetch() and XMLHttpRequest (the default) or leaves them untouched. Wrapping is how
// CORS Lens learns each call's mode and credentials, its targetAddressSpace and the errors the page saw (aborts, mixed
// content); the price is that DevTools names page-observer.js as the initiator of every call and the page's own
// fetch errors carry its frame (docs/architecture.md, "The page observer wraps fetch"). Unwrapped, a second MAIN-world script undoes the wrap at
// document_start, before any page script runs; the CSP listener, which wraps nothing, stays.
import { browser } from './browser';

const KEY = 'cors-lens:observer-wraps';
const SCRIPT_ID = 'cors-lens-observer-unwrapped';

type Scripting = {
  registerContentScripts(s: unknown[]): Promise<void>;
  unregisterContentScripts(f: { ids: string[] }): Promise<void>;
  getRegisteredContentScripts(f: { ids: string[] }): Promise<unknown[]>;
};

const scripting = (): Scripting | null => (browser as unknown as { scripting?: Scripting }).scripting ?? null;

export async function observerWraps(): Promise<boolean> {
  try {
    const v = (await browser.storage.local.get(KEY))[KEY];
    return v !== false;
  } catch {
    return true;
  }
}

/** Makes the registered scripts match the saved choice (called at startup and when the user changes it). */
export async function applyObserverMode(wraps: boolean): Promise<void> {
  const s = scripting();
  if (!s) throw new Error('this browser has no scripting API: the page observer always wraps fetch/XHR');
  const registered = (await s.getRegisteredContentScripts({ ids: [SCRIPT_ID] })).length > 0;
  if (wraps && registered) await s.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (!wraps && !registered) {
    await s.registerContentScripts([
      {
        id: SCRIPT_ID,
        js: ['content/observer-unwrapped.js'],
        matches: ['<all_urls>'],
        runAt: 'document_start',
        allFrames: true,
        world: 'MAIN',
        persistAcrossSessions: true,
      },
    ]);
  }
}

/** The user's choice: saved, then applied to pages loaded from now on. */
export async function setObserverWraps(wraps: boolean): Promise<void> {
  await browser.storage.local.set({ [KEY]: wraps });
  await applyObserverMode(wraps);
}
