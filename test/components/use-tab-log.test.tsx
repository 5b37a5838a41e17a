// The panel's log state: a snapshot that arrives in slices (first screenful alone, then the rest) becomes one
// ordered log, live additions after it are appended, evicted entries dropped, a repeated slice never duplicated.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { PortEvent, WireEntry } from '../../extension/protocol/messages';
import type { TabMeta } from '../../src/capture/tab-store';
import { allowedGet } from './fixtures';

let emit: (e: PortEvent) => void = () => {};
vi.mock('../../extension/platform/client', () => ({
  subscribeTab: (_tabId: number, onEvent: (e: PortEvent) => void, onState: (s: string) => void) => {
    emit = onEvent;
    onState('live');
    return () => {};
  },
}));
const { useTabLog, preconnectTab } = await import('../../extension/panel/use-tab-log');

afterEach(cleanup);

const entry = (seq: number): WireEntry => ({ ...allowedGet(seq), seq });
const meta = (firstSeq: number, nextSeq: number): TabMeta => ({
  tabId: 3,
  firstSeq,
  nextSeq,
  dropped: firstSeq,
  droppedForQuota: 0,
  preserveLog: false,
  blocked: 0,
  navigations: 0,
});
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => entry(a + i));

describe('useTabLog', () => {
  it('assembles a sliced snapshot, then appends live entries and drops evicted ones', () => {
    const { result } = renderHook(() => useTabLog(3));
    act(() =>
      emit({ type: 'snapshot', snapshot: { tabId: 3, meta: meta(0, 1200), entries: range(0, 60), more: 1140 } }),
    );
    expect(result.current.entries).toHaveLength(60);
    act(() => {
      emit({ type: 'snapshotMore', tabId: 3, entries: range(60, 560) });
      emit({ type: 'snapshotMore', tabId: 3, entries: range(560, 1060) });
      emit({ type: 'snapshotMore', tabId: 3, entries: range(1060, 1200) });
    });
    expect(result.current.entries.map((e) => e.seq)).toEqual(range(0, 1200).map((e) => e.seq));
    // A slice seen twice (a reconnect racing a slow slice) is not duplicated.
    act(() => emit({ type: 'snapshotMore', tabId: 3, entries: range(1060, 1200) }));
    expect(result.current.entries).toHaveLength(1200);
    act(() => emit({ type: 'entriesAdded', tabId: 3, entries: range(1200, 1203), meta: meta(3, 1203) }));
    expect(result.current.entries[0].seq).toBe(3);
    expect(result.current.entries.at(-1)?.seq).toBe(1202);
    expect(result.current.entries).toHaveLength(1200);
  });

  it('takes over a subscription opened before React mounted, with what arrived meanwhile', async () => {
    preconnectTab(5);
    emit({ type: 'snapshot', snapshot: { tabId: 5, meta: meta(0, 70), entries: range(0, 60), more: 10 } });
    emit({ type: 'snapshotMore', tabId: 5, entries: range(60, 70) });
    const { result } = renderHook(() => useTabLog(5));
    await act(async () => {
      await Promise.resolve();
    });
    expect(result.current.entries).toHaveLength(70);
    expect(result.current.connection).toBe('live');
    act(() => emit({ type: 'entriesAdded', tabId: 5, entries: range(70, 71), meta: meta(0, 71) }));
    expect(result.current.entries.at(-1)?.seq).toBe(70);
  });
});
