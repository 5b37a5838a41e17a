// The cached reason words say exactly what summaryOf says, reason by reason (the cache key must hold every field the
// words depend on).
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine';
import type { ObservedRequest, Verdict } from '../../../src/engine/types';
import { summaryOf } from '../../../src/report/build';
import { reasonWords } from '../../../src/report/reason-words';
import { method } from '../../support/requests';

const PAGE = 'http://localhost:3000';
function preflight(header: string, acah: string, acao = PAGE): ObservedRequest {
  return method('PUT', 'http://api.test/x', { id: header, from: PAGE, type: null })
    .pre(
      204,
      {
        'Access-Control-Allow-Origin': acao,
        'Access-Control-Allow-Methods': 'PUT',
        'Access-Control-Allow-Headers': acah,
      },
      {
        sent: { Origin: PAGE, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': header },
      },
    )
    .unsent('net::ERR_FAILED')
    .fail();
}

describe('reason words', () => {
  it('are the summary words of each distinct reason, cached or not', () => {
    // The same refused origin seen from another page: only `expected` differs.
    const otherPage = {
      ...preflight('x-api-key', 'content-type', 'http://a.test'),
      initiator: 'http://localhost:4000',
    };
    const cases = [
      preflight('x-api-key', 'content-type'),
      preflight('x-other', 'content-type'),
      preflight('x-api-key', 'content-type', 'http://a.test'),
      preflight('x-api-key', 'content-type', 'http://b.test'),
      otherPage,
    ];
    for (let round = 0; round < 2; round++) {
      for (const r of cases) {
        const v = evaluate(r, { browser: 'chromium' }) as Extract<Verdict, { kind: 'blocked' }>;
        expect(v.kind).toBe('blocked');
        expect(reasonWords(r, v)).toBe(summaryOf(r, v));
      }
    }
    const words = cases.map((r) =>
      reasonWords(r, evaluate(r, { browser: 'chromium' }) as Extract<Verdict, { kind: 'blocked' }>),
    );
    expect(new Set(words).size).toBe(5);
  });
});
