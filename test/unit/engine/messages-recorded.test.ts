// The console texts messagesFor() writes must equal what Chromium 156 and Firefox ESR 153 printed for the same
// requests (the oracle recordings in test/oracle/recordings).
import { describe, expect, it } from 'vitest';
import { evaluate, messagesFor } from '../../../src/engine';
import { PreflightCacheModel } from '../../support/preflight-cache-model';
import { importHar } from '../../../src/har/import';
import { loadRecordings } from '../../oracle/recordings-io';

for (const browser of ['chromium', 'firefox'] as const) {
  const recordings = loadRecordings(browser);
  describe(`console messages match ${browser}'s own`, () => {
    it('for every recorded CORS block', () => {
      expect(recordings.length, `${browser} recordings in test/oracle/recordings`).toBeGreaterThan(0);
      const mismatches: string[] = [];
      let compared = 0;
      for (const rec of recordings) {
        const imported = importHar(rec.text);
        const cache = new PreflightCacheModel(browser, { automation: true });
        const byId = new Map(
          imported.requests.map((r) => {
            const v = evaluate(r, { browser, preflightCache: cache });
            cache.observe(r, v);
            return [r.id, { r, v }] as const;
          }),
        );
        for (const e of rec.expected) {
          const want = browser === 'chromium' ? e.chromium?.message : e.firefox?.message;
          const got = byId.get(e.requestId ?? '');
          if (e.verdict !== 'blocked' || !want || !got) continue;
          compared++;
          const text = messagesFor(got.r, got.v)[browser];
          if (text !== want) mismatches.push(`${rec.scenario}\n  browser: ${want}\n  engine:  ${text}`);
        }
      }
      expect(compared).toBeGreaterThan(50);
      expect(mismatches).toEqual([]);
    });
  });
}
