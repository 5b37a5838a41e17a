// explain's one-or-two-threads choice reads the runnable count and the load average only when it decides, for a
// file big enough that they matter: never at import, never for small files or when CORS_LENS_THREADS decides.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const reads = vi.hoisted(() => ({ runnable: 0, loadavg: 0, others: 0 as number | null, load1: 0, cores: 4 }));

vi.mock('../../../src/cli/runnable', () => ({
  runnableOthers: () => {
    reads.runnable++;
    return reads.others;
  },
  runnableOthersFrom: () => null,
}));

vi.mock('node:os', async (importOriginal) => {
  const os = await importOriginal<typeof import('node:os')>();
  return {
    ...os,
    availableParallelism: () => reads.cores,
    loadavg: () => {
      reads.loadavg++;
      return [reads.load1, 0, 0];
    },
  };
});

beforeEach(() => {
  Object.assign(reads, { runnable: 0, loadavg: 0, others: 0, load1: 0, cores: 4 });
});

describe('threadChoice', () => {
  it('importing the CLI reads no load', async () => {
    await import('../../../src/cli/main');
    expect(reads).toMatchObject({ runnable: 0, loadavg: 0 });
  });

  it('a file below the threshold, one core, or CORS_LENS_THREADS decide without reading the load', async () => {
    const { THREAD_THRESHOLD, threadChoice } = await import('../../../src/cli/threads');
    expect(threadChoice(THREAD_THRESHOLD - 1, undefined)()).toBe(false);
    expect(threadChoice(THREAD_THRESHOLD, 'never')()).toBe(false);
    expect(threadChoice(0, 'always')()).toBe(true);
    reads.cores = 1;
    expect(threadChoice(THREAD_THRESHOLD, undefined)()).toBe(false);
    expect(reads).toMatchObject({ runnable: 0, loadavg: 0 });
  });

  it('a big file samples the runnable count at the start and at the choice; the smaller wins', async () => {
    const { THREAD_THRESHOLD, threadChoice } = await import('../../../src/cli/threads');
    reads.others = 1;
    const choose = threadChoice(THREAD_THRESHOLD, undefined);
    expect(reads).toMatchObject({ runnable: 1, loadavg: 0 });
    reads.others = 5;
    expect(choose()).toBe(true); // min(1, 5) = 1 <= 4 - 2
    expect(reads).toMatchObject({ runnable: 2, loadavg: 1 });
    reads.others = 3;
    expect(threadChoice(THREAD_THRESHOLD, undefined)()).toBe(false); // 3 > 4 - 2
  });

  it('falls back to the load average where the runnable count is unknown', async () => {
    const { THREAD_THRESHOLD, threadChoice } = await import('../../../src/cli/threads');
    reads.others = null;
    reads.load1 = 3.4;
    expect(threadChoice(THREAD_THRESHOLD, undefined)()).toBe(true);
    reads.load1 = 3.6;
    expect(threadChoice(THREAD_THRESHOLD, undefined)()).toBe(false);
  });
});
