import { describe, expect, it } from 'vitest';
import { HintMatcher } from '../../../src/capture/hint-matcher';
import type { PageHint } from '../../../src/capture';

const hint = (url: string, t: number): PageHint => ({
  api: 'fetch',
  url,
  method: 'GET',
  mode: 'cors',
  credentials: 'same-origin',
  t,
});

describe('HintMatcher.unclaimedOrigins', () => {
  it('names the origins of calls no request claimed after the delay, once each', () => {
    let now = 10_000;
    const m = new HintMatcher(() => now);
    m.keepHints(1, [
      hint('http://localhost:4000/a', 9_000),
      hint('http://localhost:4000/b', 9_500),
      hint('https://api.example/x', 10_500),
    ]);
    now = 13_000;
    expect(m.unclaimedOrigins(1, 3_000).sort()).toEqual(['http://localhost:4000']);
    now = 20_000;
    expect(m.unclaimedOrigins(1, 3_000).sort()).toEqual(['http://localhost:4000', 'https://api.example']);
    expect(m.unclaimedOrigins(2, 3_000)).toEqual([]);
  });

  it('leaves out a call once its request claimed the hint', () => {
    let now = 10_000;
    const m = new HintMatcher(() => now);
    m.keepHints(1, [hint('http://localhost:4000/a', 9_000)]);
    expect(m.takeHint(1, { url: 'http://localhost:4000/a', method: 'GET', startedAt: 9_001 } as never)).toBeDefined();
    now = 20_000;
    expect(m.unclaimedOrigins(1, 3_000)).toEqual([]);
  });
});
