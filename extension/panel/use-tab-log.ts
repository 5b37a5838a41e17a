// Keeps the inspected tab's diagnosed requests in React state: a snapshot, then live additions.
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import type { PortEvent, WireEntry } from '../protocol/messages';
import type { TabMeta } from '../../src/capture';
import { subscribeTab, type ConnectionState } from '../platform/client';

export interface TabLogState {
  entries: WireEntry[];
  meta: TabMeta | null;
  connection: ConnectionState;
  /** Set when the worker restarted or the extension was reloaded while the panel stayed open. */
  reconnected: number;
  protocolError: string | null;
}

interface Early {
  tabId: number;
  events: PortEvent[];
  states: ConnectionState[];
  onEvent: ((e: PortEvent) => void) | null;
  onState: ((s: ConnectionState) => void) | null;
  stop: () => void;
}
let early: Early | null = null;

/**
 * Opens the tab's subscription before React mounts (panel/main.tsx), so the worker's snapshot crosses the process
 * boundary while the app renders its first frame; useTabLog takes it over and replays what arrived meanwhile.
 */
export function preconnectTab(tabId: number): void {
  const e: Early = { tabId, events: [], states: [], onEvent: null, onState: null, stop: () => {} };
  e.stop = subscribeTab(
    tabId,
    (ev) => (e.onEvent ? e.onEvent(ev) : e.events.push(ev)),
    (st) => (e.onState ? e.onState(st) : e.states.push(st)),
  );
  early = e;
}

function subscribe(tabId: number, onEvent: (e: PortEvent) => void, onState: (s: ConnectionState) => void): () => void {
  const e = early;
  if (!e || e.tabId !== tabId) return subscribeTab(tabId, onEvent, onState);
  early = null;
  // Replayed after the effect that takes it over (flushSync may not run inside an effect), then live.
  queueMicrotask(() => {
    for (const st of e.states) onState(st);
    for (const ev of e.events) onEvent(ev);
    e.states = [];
    e.events = [];
    e.onEvent = onEvent;
    e.onState = onState;
  });
  return e.stop;
}

export function useTabLog(tabId: number | null): TabLogState {
  const [state, setState] = useState<TabLogState>({
    entries: [],
    meta: null,
    connection: 'connecting',
    reconnected: 0,
    protocolError: null,
  });
  useEffect(() => {
    if (tabId === null) return;
    let snapshots = 0;
    return subscribe(
      tabId,
      (ev) => {
        switch (ev.type) {
          case 'snapshot':
            snapshots++;
            // Rendered now, not after the rest of the snapshot's slices (already queued behind it) are handled.
            flushSync(() =>
              setState((s) => ({
                ...s,
                entries: ev.snapshot.entries,
                meta: ev.snapshot.meta,
                reconnected: snapshots > 1 ? s.reconnected + 1 : s.reconnected,
              })),
            );
            return;
          case 'snapshotMore':
            setState((s) => {
              // Slices come in seq order right after their snapshot; anything not after what we hold is a repeat.
              const last = s.entries.length ? s.entries[s.entries.length - 1].seq : -1;
              const add = ev.entries[0]?.seq > last ? ev.entries : ev.entries.filter((e) => e.seq > last);
              return add.length ? { ...s, entries: s.entries.concat(add) } : s;
            });
            return;
          case 'entriesAdded':
            setState((s) => {
              // Drop what the worker evicted (cap reached) so the panel mirrors the log exactly.
              const first = ev.meta.firstSeq;
              const kept =
                s.entries.length && s.entries[0].seq < first ? s.entries.filter((e) => e.seq >= first) : s.entries;
              return { ...s, entries: kept.concat(ev.entries), meta: ev.meta };
            });
            return;
          case 'entriesUpdated':
            setState((s) => {
              const bySeq = new Map(ev.entries.map((e) => [e.seq, e]));
              return { ...s, entries: s.entries.map((e) => bySeq.get(e.seq) ?? e), meta: ev.meta };
            });
            return;
          case 'tabCleared':
            setState((s) => ({ ...s, entries: [], meta: ev.meta }));
            return;
          case 'protocolMismatch':
            setState((s) => ({
              ...s,
              protocolError: `The worker speaks protocol v${ev.expected}, this panel v${ev.got}: close and reopen DevTools.`,
            }));
            return;
        }
      },
      (connection) => setState((s) => ({ ...s, connection })),
    );
  }, [tabId]);
  return state;
}
