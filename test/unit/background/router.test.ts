// The worker's router with fake senders and ports: who may ask what (extension pages everything, our content scripts
// only page hints over the hint port, anyone else nothing) and the protocol version check of docs/protocol.md.
import { describe, expect, it } from 'vitest';
import { CaptureService, type KeyValueStorage } from '../../../src/capture';
import { evaluate } from '../../../src/engine';
import { callerOf } from '../../../extension/background/caller';
import { createRouter } from '../../../extension/background/router';
import type { Channel, Sender } from '../../../extension/platform/messaging';
import {
  HINT_PORT_NAME,
  PORT_NAME,
  PROTOCOL_VERSION,
  makeRequest,
  type PortEvent,
  type WorkerStatus,
} from '../../../extension/protocol/messages';
import { API, PAGE, simpleGet } from '../capture/net-events';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;
const own = { id: ID, baseUrl: BASE };
const panel: Sender = { extensionId: ID, url: `${BASE}extension/panel/index.html`, origin: `chrome-extension://${ID}` };
const firefoxPanel: Sender = {
  extensionId: 'x@cors-lens',
  url: 'moz-extension://1234-uuid/extension/panel/index.html',
};
const contentScript: Sender = { extensionId: ID, url: `${PAGE}/app`, origin: PAGE, tabId: 7 };
const otherExtension: Sender = {
  extensionId: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
  url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/p.html',
  origin: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
};

const storage = (): KeyValueStorage => ({
  async getAll() {
    return {};
  },
  async write() {},
});

function setup() {
  const service = new CaptureService({
    browser: 'chromium',
    storage: storage(),
    evaluate: (r, b) => evaluate(r, { browser: b }),
    isQuotaError: () => false,
    now: () => 1_000,
  });
  let wraps = true;
  const saved: boolean[] = [];
  const router = createRouter({
    service,
    own,
    browser: 'chromium',
    version: '9.9.9',
    bytesInUse: async () => 42,
    observerMode: {
      get: async () => wraps,
      set: async (w) => {
        wraps = w;
      },
    },
    saveOpenedTabsOnly: async (on) => {
      saved.push(on);
    },
  });
  return { service, router, saved };
}

/** A port as the worker sees it: what it posted, whether it closed it, and a way to send it messages. */
function fakeChannel(name: string, sender: Sender) {
  const posted: PortEvent[] = [];
  const listeners: ((m: unknown) => void)[] = [];
  const state = { closed: false };
  const channel: Channel = {
    name,
    sender,
    post: (m) => {
      posted.push(m as PortEvent);
    },
    close: () => {
      state.closed = true;
    },
    onMessage: (l) => {
      listeners.push(l);
    },
    onClose: () => {},
  };
  const send = async (m: unknown) => {
    for (const l of listeners) await l(m);
  };
  return { channel, posted, state, send, listening: () => listeners.length > 0 };
}

describe('callerOf', () => {
  it('our extension pages, by origin (Chromium) or by URL (Firefox gives no origin)', () => {
    expect(callerOf(panel, own).kind).toBe('extension-page');
    expect(callerOf({ ...panel, origin: undefined }, own).kind).toBe('extension-page');
    expect(callerOf(firefoxPanel, { id: 'x@cors-lens', baseUrl: 'moz-extension://1234-uuid/' }).kind).toBe(
      'extension-page',
    );
    expect(callerOf({ ...panel, tabId: 3 }, own).kind).toBe('extension-page'); // the panel opened in a tab
  });

  it('our content script in a web page, with the tab the browser reports', () => {
    expect(callerOf(contentScript, own)).toEqual({ kind: 'content-script', tabId: 7, url: `${PAGE}/app` });
  });

  it('refuses another extension, a sender without id, place or tab, and a URL that only contains our base', () => {
    expect(callerOf(otherExtension, own).kind).toBe('refused');
    expect(callerOf({ ...panel, extensionId: undefined }, own).kind).toBe('refused');
    expect(callerOf({ extensionId: ID }, own).kind).toBe('refused');
    expect(callerOf({ extensionId: ID, url: `${PAGE}/app` }, own).kind).toBe('refused');
    expect(callerOf({ extensionId: ID, url: `${PAGE}/${BASE}`, origin: PAGE, tabId: 7 }, own).kind).toBe(
      'content-script',
    );
    // A page whose origin is not ours but whose URL claims to be is judged by the origin the browser gives.
    expect(callerOf({ extensionId: ID, url: `${BASE}x.html`, origin: PAGE, tabId: 7 }, own).kind).toBe(
      'content-script',
    );
  });
});

describe('requests', () => {
  it('an extension page gets its answer; getStatus carries recentEvents at the top level', async () => {
    const { service, router } = setup();
    for (const e of simpleGet('r1', `${API}/a`, PAGE)) service.onEvent(e);
    const res = await router.message(makeRequest('getStatus', {}), panel);
    expect(res?.ok).toBe(true);
    const status = (res as { result: WorkerStatus }).result;
    expect(status).toMatchObject({
      protocol: PROTOCOL_VERSION,
      version: '9.9.9',
      browser: 'chromium',
      storageBytesInUse: 42,
    });
    expect(status.recentEvents).toHaveLength(3);
    expect(await router.message(makeRequest('setObserverMode', { wraps: false }), panel)).toEqual({
      ok: true,
      result: { ok: true },
    });
    expect(await router.message(makeRequest('getObserverMode', {}), panel)).toEqual({
      ok: true,
      result: { wraps: false },
    });
  });

  it('setWatchScope saves the scope and watches the tab it came from; watchTab answers the tab state', async () => {
    const { service, router, saved } = setup();
    expect(await router.message(makeRequest('setWatchScope', { openedTabsOnly: true, tabId: 7 }), panel)).toEqual({
      ok: true,
      result: { ok: true },
    });
    expect(saved).toEqual([true]);
    for (const e of simpleGet('w1', `${API}/a`, PAGE)) service.onEvent({ ...e, tabId: 8 });
    const status = ((await router.message(makeRequest('getStatus', {}), panel)) as { result: WorkerStatus }).result;
    expect(status).toMatchObject({ openedTabsOnly: true, eventsOutsideWatch: 3 });
    expect(await router.message(makeRequest('watchTab', { tabId: 8 }), panel)).toEqual({
      ok: true,
      result: { openedOnly: true, watched: true, since: 1_000, pageLoadedSince: false },
    });
  });

  it('a content script, another extension or an unknown sender gets no answer at all', () => {
    const { router } = setup();
    for (const s of [contentScript, otherExtension, { extensionId: ID } as Sender]) {
      expect(router.message(makeRequest('getTabLog', { tabId: 7 }), s)).toBeUndefined();
    }
  });

  it('a request of another protocol version is refused with a clear error', async () => {
    const { router } = setup();
    const res = await router.message(
      { ...makeRequest('getTabLog', { tabId: 7 }), protocol: PROTOCOL_VERSION + 1 },
      panel,
    );
    expect(res).toEqual({ ok: false, error: expect.stringMatching(/^protocol mismatch/) });
    expect((res as { error: string }).error).toContain(String(PROTOCOL_VERSION + 1));
  });

  it('an unknown request name (even an Object.prototype one) is an error; a foreign message is ignored', async () => {
    const { router } = setup();
    expect(await router.message({ ...makeRequest('getStatus', {}), name: 'pageHints' }, panel)).toEqual({
      ok: false,
      error: 'unknown request pageHints',
    });
    expect(await router.message({ ...makeRequest('getStatus', {}), name: 'toString' }, panel)).toEqual({
      ok: false,
      error: 'unknown request toString',
    });
    expect(router.message({ hello: 1 }, panel)).toBeUndefined();
  });
});

describe('ports', () => {
  it('an extension page subscribes to a tab and gets its snapshot', async () => {
    const { service, router } = setup();
    for (const e of simpleGet('r1', `${API}/a`, PAGE)) service.onEvent(e);
    const p = fakeChannel(PORT_NAME, panel);
    router.connect(p.channel);
    await p.send({ type: 'subscribe', tabId: 7, protocol: PROTOCOL_VERSION });
    expect(p.posted).toHaveLength(1);
    expect(p.posted[0]).toMatchObject({ type: 'snapshot', snapshot: { tabId: 7, more: 0 } });
    expect(p.posted[0].type === 'snapshot' && p.posted[0].snapshot.entries.map((e) => e.verdict.kind)).toEqual([
      'allowed',
    ]);
  });

  it('a subscribe command of another protocol version gets protocolMismatch, no snapshot', async () => {
    const { router } = setup();
    const p = fakeChannel(PORT_NAME, panel);
    router.connect(p.channel);
    await p.send({ type: 'subscribe', tabId: 7, protocol: PROTOCOL_VERSION + 1 });
    expect(p.posted).toEqual([{ type: 'protocolMismatch', expected: PROTOCOL_VERSION, got: PROTOCOL_VERSION + 1 }]);
  });

  it('a port named for another version gets protocolMismatch', () => {
    const { router } = setup();
    const p = fakeChannel(`cors-lens/v${PROTOCOL_VERSION + 1}`, panel);
    router.connect(p.channel);
    expect(p.posted).toEqual([{ type: 'protocolMismatch', expected: PROTOCOL_VERSION, got: PROTOCOL_VERSION + 1 }]);
  });

  it('a content script may not subscribe to a tab, nor another extension', () => {
    const { router } = setup();
    for (const s of [contentScript, otherExtension]) {
      const p = fakeChannel(PORT_NAME, s);
      router.connect(p.channel);
      expect(p.state.closed).toBe(true);
      expect(p.listening()).toBe(false);
    }
  });

  it("page hints over the hint port land in the sender's tab, whatever tab the message names", async () => {
    const { service, router } = setup();
    await service.ready;
    const p = fakeChannel(HINT_PORT_NAME, contentScript);
    router.connect(p.channel);
    const hint = {
      api: 'fetch',
      url: `${API}/csp`,
      method: 'GET',
      mode: 'cors',
      credentials: 'same-origin',
      t: 1_000,
      secureContext: true,
      tabId: 99,
      failure: {
        name: 'TypeError',
        networkless: true,
        csp: { directive: 'connect-src', policy: "connect-src 'self'" },
      },
    };
    await p.send({ hints: [hint], tabId: 99 });
    expect(service.store.entries(7)).toHaveLength(1);
    expect(service.store.entries(99)).toHaveLength(0);
    expect(p.state.closed).toBe(false);
  });

  it('the hint port is closed for an extension page and for another extension', () => {
    const { router } = setup();
    for (const s of [panel, otherExtension]) {
      const p = fakeChannel(HINT_PORT_NAME, s);
      router.connect(p.channel);
      expect(p.state.closed).toBe(true);
    }
  });
});
