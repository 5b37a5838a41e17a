// Small builders of diagnosed entries for the component tests, evaluated by the real engine.
import type { WireEntry } from '../../extension/protocol/messages';
import type { ObservedRequest } from '../../src/engine/types';
import { evaluate } from '../../src/engine';

export const PAGE = 'http://localhost:3000';
export const API = 'http://localhost:8000';

export function blockedPreflight(seq: number, extra: { acah?: string } = {}): WireEntry {
  const url = `${API}/items/${seq}`;
  const request: ObservedRequest = {
    id: `r${seq}`, initiator: PAGE, type: 'fetch', method: 'PUT', url, startedAt: 1000 + seq,
    exchanges: [
      { kind: 'preflight', url, method: 'OPTIONS', requestHeaders: [{ name: 'Origin', value: PAGE }, { name: 'Access-Control-Request-Method', value: 'PUT' }, { name: 'Access-Control-Request-Headers', value: 'x-api-key' }],
        response: { status: 204, headers: [{ name: 'Access-Control-Allow-Origin', value: PAGE }, { name: 'Access-Control-Allow-Methods', value: 'PUT' }, { name: 'Access-Control-Allow-Headers', value: extra.acah ?? 'content-type' }] } },
      { kind: 'main', url, method: 'PUT', requestHeaders: null, response: null, error: 'net::ERR_FAILED' },
    ],
    outcome: { kind: 'error', error: 'net::ERR_FAILED' },
  };
  return { seq, request, verdict: evaluate(request, { browser: 'chromium' }) };
}

export function allowedGet(seq: number, headers: { name: string; value: string }[] = []): WireEntry {
  const url = `${API}/ok/${seq}`;
  const request: ObservedRequest = {
    id: `a${seq}`, initiator: PAGE, type: 'fetch', method: 'GET', url, startedAt: 1000 + seq,
    exchanges: [{ kind: 'main', url, method: 'GET', requestHeaders: [{ name: 'Origin', value: PAGE }], response: { status: 200, headers: [{ name: 'Access-Control-Allow-Origin', value: '*' }, ...headers] } }],
    outcome: { kind: 'completed', status: 200 },
  };
  return { seq, request, verdict: evaluate(request, { browser: 'chromium' }) };
}
