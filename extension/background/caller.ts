// Who may ask the worker what, decided once per message or port from what the browser says about the sender.
// Content scripts run inside web pages, so a compromised page could drive them: they may only send page hints
// (over the hint port, for their own tab); reading any tab's traffic is for our own extension pages.
import type { OwnExtension, Sender } from '../platform/messaging';

export type Caller =
  /** The panel, the popup or another page of this extension: may make every request and subscribe to a tab. */
  | { kind: 'extension-page' }
  /** This extension's content script in a web page: may post page hints for its own tab, nothing else. */
  | { kind: 'content-script'; tabId: number; url?: string }
  | { kind: 'refused' };

export function callerOf(sender: Sender, own: Pick<OwnExtension, 'id' | 'baseUrl'>): Caller {
  if (!sender.extensionId || sender.extensionId !== own.id) return { kind: 'refused' };
  // Chromium gives the origin (`chrome-extension://<id>`, no slash); Firefox only the document URL.
  const where = sender.origin !== undefined ? `${sender.origin}/` : sender.url;
  if (where === undefined) return { kind: 'refused' };
  if (where.startsWith(own.baseUrl)) return { kind: 'extension-page' };
  if (typeof sender.tabId === 'number') return { kind: 'content-script', tabId: sender.tabId, url: sender.url };
  return { kind: 'refused' };
}
