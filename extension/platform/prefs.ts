// The user's remembered choices. Written only on the user's own action (picking a framework), never otherwise.
import { browser } from './browser';

const KEY = 'cors-lens:framework';

export async function loadFramework(): Promise<string | null> {
  try {
    const v = (await browser.storage.local.get(KEY))[KEY];
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function saveFramework(id: string): void {
  browser.storage.local.set({ [KEY]: id }).catch(() => {});
}
