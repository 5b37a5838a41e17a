// The watch scope "Tabs I inspect": the service keeps only tabs opened in the panel or popup, from then on;
// other tabs' events and page hints are dropped on arrival; the watched set survives a worker restart; a page load
// after the opening ends the "requests before are missing" state; a closed tab is forgotten.
import { describe, expect, it } from 'vitest';
import { CaptureService, WATCH_KEY, type KeyValueStorage } from '../../../src/capture/capture-service';
import { TabWatch } from '../../../src/capture/tab-watch';
import { evaluate } from '../../../src/engine';
import { API, PAGE, simpleGet } from './net-events';

function memory(): KeyValueStorage & { kv: Record<string, unknown> } {
  const kv: Record<string, unknown> = {};
  return {
    kv,
    async getAll() {
      return JSON.parse(JSON.stringify(kv));
    },
    async write(set, remove) {
      for (const k of remove) delete kv[k];
      Object.assign(kv, JSON.parse(JSON.stringify(set)));
    },
  };
}

const make = (storage: KeyValueStorage, openedOnly: boolean, now = () => 5_000) =>
  new CaptureService({
    browser: 'chromium',
    storage,
    evaluate: (r, b) => evaluate(r, { browser: b }),
    isQuotaError: () => false,
    now,
    openedTabsOnly: async () => openedOnly,
  });

/** simpleGet's events, moved to another tab. */
const inTab = (tabId: number, id: string, path: string) =>
  simpleGet(id, `${API}${path}`, PAGE).map((e) => ({ ...e, tabId }));

describe('tab watch', () => {
  it('keeps every tab when the scope is off', () => {
    const w = new TabWatch(false);
    expect(w.keeps(3)).toBe(true);
    expect(w.state(3)).toEqual({ openedOnly: false, watched: true });
  });

  it('keeps a tab once opened; a navigation after that means nothing of the page is missing', () => {
    const w = new TabWatch(true);
    expect(w.keeps(3)).toBe(false);
    w.navigated(3); // not watched: nothing to note
    expect(w.open(3, 100)).toEqual({ openedOnly: true, watched: true, since: 100, pageLoadedSince: false });
    expect(w.open(3, 200).since).toBe(100); // opening again keeps the first time
    w.navigated(3);
    expect(w.state(3).pageLoadedSince).toBe(true);
    w.closed(3);
    expect(w.keeps(3)).toBe(false);
  });

  it('reads back its snapshot and skips what is malformed', () => {
    const a = new TabWatch(true);
    a.open(3, 100);
    a.open(4, 150);
    a.navigated(4);
    const b = new TabWatch(true);
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect([b.state(3), b.state(4)]).toEqual([a.state(3), a.state(4)]);
    const c = new TabWatch(true);
    c.restore({ v: 1, tabs: [['x', 1, true], [5, 'soon', false], null, [6, 10, 'yes']] });
    expect([c.keeps(5), c.keeps(6), c.state(6).pageLoadedSince]).toEqual([false, true, false]);
    for (const junk of [undefined, null, 'x', { v: 2, tabs: [] }, { v: 1, tabs: 'all' }]) {
      const d = new TabWatch(true);
      d.restore(junk);
      expect(d.keeps(1)).toBe(false);
    }
  });
});

describe('capture service with the scope "Tabs I inspect"', () => {
  it('drops the events and hints of tabs not opened, counts them, and keeps the opened tab from then on', async () => {
    const st = memory();
    const s = make(st, true);
    for (const e of inTab(7, 'a', '/before-open')) s.onEvent(e);
    const hint = (path: string) => ({
      api: 'fetch',
      url: `${API}${path}`,
      method: 'GET',
      mode: 'cors',
      credentials: 'include',
      t: 1_000,
    });
    s.onPageHints(7, [hint('/never-sent')]);
    await s.ready;
    expect(s.unseenOrigins(7)).toEqual([]);
    expect(s.events).toBe(0);
    expect(s.eventsOutsideWatch).toBe(3);
    expect(s.store.has(7)).toBe(false);
    expect(await s.openTab(7)).toEqual({ openedOnly: true, watched: true, since: 5_000, pageLoadedSince: false });
    for (const e of inTab(7, 'b', '/after-open')) s.onEvent(e);
    for (const e of inTab(8, 'c', '/other-tab')) s.onEvent(e);
    await s.flushed();
    expect(s.store.entries(7).map((e) => e.request.url)).toEqual([`${API}/after-open`]);
    expect(s.store.has(8)).toBe(false);
    expect(s.eventsOutsideWatch).toBe(6);
    // Hints of the opened tab are kept again (the positive control of the dropped one above).
    s.onPageHints(7, [hint('/never-sent')]);
    expect(s.unseenOrigins(7)).toEqual([API]);
    // The page loads again: nothing of it is missing any more.
    s.onNavigation(7, `${PAGE}/`);
    expect(s.watch.state(7).pageLoadedSince).toBe(true);
    s.onNavigation(8, `${PAGE}/`); // an unwatched tab's navigation leaves no log behind
    expect(s.store.has(8)).toBe(false);
  });

  it('a restarted worker keeps watching the same tabs; a closed tab is forgotten', async () => {
    const st = memory();
    const a = make(st, true);
    await a.openTab(7);
    await a.openTab(9);
    a.onTabRemoved(9);
    await a.flushed();
    expect(typeof st.kv[WATCH_KEY]).toBe('string');
    const b = make(st, true);
    for (const e of inTab(7, 'a', '/kept')) b.onEvent(e); // queued until the restore finished
    for (const e of inTab(9, 'b', '/closed')) b.onEvent(e);
    await b.ready;
    await b.flushed();
    expect(b.store.entries(7)).toHaveLength(1);
    expect(b.store.has(9)).toBe(false);
    expect(b.watch.state(7)).toMatchObject({ watched: true, since: 5_000 });
  });

  it('turned on from a tab, that tab is watched at once; turned off, every tab is kept again', async () => {
    const s = make(memory(), false);
    expect(await s.setOpenedTabsOnly(true, 7)).toMatchObject({ openedOnly: true, watched: true });
    for (const e of inTab(8, 'a', '/x')) s.onEvent(e);
    for (const e of inTab(7, 'b', '/y')) s.onEvent(e);
    await s.flushed();
    expect([s.store.has(7), s.store.has(8)]).toEqual([true, false]);
    expect(await s.setOpenedTabsOnly(false)).toBeNull();
    for (const e of inTab(8, 'c', '/z')) s.onEvent(e);
    await s.flushed();
    expect(s.store.entries(8)).toHaveLength(1);
  });

  it('a saved scope that cannot be read is taken as off (every tab kept), not as an error', async () => {
    const s = new CaptureService({
      browser: 'chromium',
      storage: memory(),
      evaluate: (r, b) => evaluate(r, { browser: b }),
      isQuotaError: () => false,
      now: () => 0,
      openedTabsOnly: async () => {
        throw new Error('storage.local unavailable');
      },
    });
    for (const e of inTab(8, 'a', '/x')) s.onEvent(e);
    await s.ready;
    await s.flushed();
    expect(s.store.entries(8)).toHaveLength(1);
    expect(s.errors).toEqual([]);
  });
});
