// Where the worker hears runtime messages and ports. The browser's MessageSender and Port end here: the worker sees a
// browser-agnostic Sender (what the browser says about the caller, never what the message claims) and a Channel.
import type { Runtime } from 'webextension-polyfill';
import { browser } from './browser';

/** Who sent a message or opened a port, as the browser reports it. */
export interface Sender {
  /** The sending extension's id (runtime.onMessage only hears our own extension: no externally_connectable). */
  extensionId?: string;
  /** The sending document's URL: an extension page's own URL, or the web page a content script runs in. */
  url?: string;
  /** The sending document's origin, where the browser gives it (Chromium); Firefox gives only the URL. */
  origin?: string;
  /** The tab a content script (or an extension page shown in a tab) runs in. */
  tabId?: number;
}

/** One open port, seen from the worker. */
export interface Channel {
  readonly name: string;
  readonly sender: Sender;
  post(message: unknown): void;
  close(): void;
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: () => void): void;
}

/** What the worker knows about its own extension to tell its pages from web pages. */
export interface OwnExtension {
  id: string;
  /** runtime.getURL(''): `chrome-extension://<id>/` or `moz-extension://<uuid>/`. */
  baseUrl: string;
  version: string;
}

export function ownExtension(): OwnExtension {
  return {
    id: browser.runtime.id,
    baseUrl: browser.runtime.getURL(''),
    version: browser.runtime.getManifest().version,
  };
}

function senderOf(s: Runtime.MessageSender | undefined): Sender {
  return { extensionId: s?.id, url: s?.url, origin: (s as { origin?: string } | undefined)?.origin, tabId: s?.tab?.id };
}

function channelOf(port: Runtime.Port): Channel {
  return {
    name: port.name,
    sender: senderOf(port.sender),
    post: (m) => port.postMessage(m),
    close: () => port.disconnect(),
    onMessage: (l) => port.onMessage.addListener((m: unknown) => l(m)),
    onClose: (l) => port.onDisconnect.addListener(() => l()),
  };
}

/** The listener answers with a promise, or undefined to stay silent (the caller then gets no answer). */
export function onMessage(listener: (message: unknown, sender: Sender) => Promise<unknown> | undefined): void {
  browser.runtime.onMessage.addListener((m: unknown, s: Runtime.MessageSender) => listener(m, senderOf(s)));
}

export function onConnect(listener: (channel: Channel) => void): void {
  browser.runtime.onConnect.addListener((port) => listener(channelOf(port)));
}
