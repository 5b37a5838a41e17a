// The write schedule: immediate in a quiet moment, short interval in a young burst, long interval once sustained,
// and back to immediate after a quiet gap.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeSchedule } from '../../../src/capture/write-schedule';

describe('writeSchedule', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'queueMicrotask', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Drives the schedule like the capture service: a new write is requested as soon as the last one ran. */
  function burst(schedule: (fn: () => void) => void, untilMs: number): number[] {
    const ranAt: number[] = [];
    const t0 = performance.now();
    const request = () =>
      schedule(() => {
        ranAt.push(performance.now() - t0);
        if (performance.now() - t0 < untilMs) request();
      });
    request();
    vi.advanceTimersByTime(untilMs + 100);
    return ranAt;
  }

  it('runs at the end of the task when nothing ran recently', async () => {
    const s = writeSchedule({ shortMs: 10, longMs: 50, burstCalls: 5 });
    let ran = 0;
    s(() => ran++);
    expect(ran).toBe(0); // not synchronously: the rest of the task's changes go with it
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toBe(1);
  });

  it('spaces calls by the short interval while the burst is young, then by the long one', () => {
    const at = burst(writeSchedule({ shortMs: 10, longMs: 50, burstCalls: 5 }), 400);
    const gaps = at.slice(1).map((t, i) => Math.round(t - at[i]));
    expect(gaps.slice(0, 5)).toEqual([10, 10, 10, 10, 10]);
    expect(gaps.slice(5).every((g) => g === 50)).toBe(true);
    expect(gaps.length).toBeGreaterThan(8);
  });

  it('a quiet gap as long as the long interval ends the burst', async () => {
    const s = writeSchedule({ shortMs: 10, longMs: 50, burstCalls: 2 });
    burst(s, 200); // now in the long regime
    await vi.advanceTimersByTimeAsync(60);
    const t0 = performance.now();
    const at: number[] = [];
    s(() => at.push(performance.now() - t0));
    await vi.advanceTimersByTimeAsync(0);
    s(() => at.push(performance.now() - t0));
    await vi.advanceTimersByTimeAsync(100);
    expect(at).toEqual([0, 10]);
  });
});
