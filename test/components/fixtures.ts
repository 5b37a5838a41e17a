// Small builders of diagnosed entries for the component tests, evaluated by the real engine.
import type { WireEntry } from '../../extension/protocol/messages';
import { evaluate } from '../../src/engine';
import { get, method } from '../support/requests';

export const PAGE = 'http://localhost:3000';
export const API = 'http://localhost:8000';

export function blockedPreflight(seq: number, extra: { acah?: string } = {}): WireEntry {
  const request = method('PUT', `${API}/items/${seq}`, {
    id: `r${seq}`,
    from: PAGE,
    type: 'fetch',
    startedAt: 1000 + seq,
  })
    .pre(
      204,
      {
        'Access-Control-Allow-Origin': PAGE,
        'Access-Control-Allow-Methods': 'PUT',
        'Access-Control-Allow-Headers': extra.acah ?? 'content-type',
      },
      {
        sent: { Origin: PAGE, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-api-key' },
      },
    )
    .unsent('net::ERR_FAILED')
    .fail();
  return { seq, request, verdict: evaluate(request, { browser: 'chromium' }) };
}

export function allowedGet(seq: number, headers: { name: string; value: string }[] = []): WireEntry {
  const request = get(`${API}/ok/${seq}`, { id: `a${seq}`, from: PAGE, type: 'fetch', startedAt: 1000 + seq })
    .res(200, [{ name: 'Access-Control-Allow-Origin', value: '*' }, ...headers])
    .ok();
  return { seq, request, verdict: evaluate(request, { browser: 'chromium' }) };
}
