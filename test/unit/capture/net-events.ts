// Terse builders of NetEvents for the capture tests, in the orders Chromium and Firefox really fire them.
import type { NetEvent } from '../../../src/capture/events';
import type { Header } from '../../../src/engine/types';

export const PAGE = 'http://127.0.0.1:8101';
export const API = 'http://127.0.0.1:8102';
let t = 1_000;

export function h(pairs: Record<string, string>): Header[] {
  return Object.entries(pairs).map(([name, value]) => ({ name, value }));
}

export function ev(
  kind: NetEvent['kind'],
  requestId: string,
  url: string,
  method: string,
  extra: Record<string, unknown> = {},
): NetEvent {
  return {
    kind,
    requestId,
    url,
    method,
    tabId: 7,
    type: 'xmlhttprequest',
    initiator: PAGE,
    timeStamp: t++,
    ...extra,
  } as NetEvent;
}

/** A simple GET that completes. */
export function simpleGet(id: string, url: string, acao?: string): NetEvent[] {
  return [
    ev('send-headers', id, url, 'GET', { requestHeaders: h({ Origin: PAGE }) }),
    ev('headers-received', id, url, 'GET', {
      statusCode: 200,
      responseHeaders: acao ? h({ 'Access-Control-Allow-Origin': acao }) : [],
    }),
    // Chromium ends a CORS-blocked response in net::ERR_FAILED.
    acao
      ? ev('completed', id, url, 'GET', { statusCode: 200 })
      : ev('error', id, url, 'GET', { error: 'net::ERR_FAILED' }),
  ];
}

/** Chromium: preflight first (its onBeforeRequest follows the actual's, which we do not listen to). */
export function chromiumPreflightedPut(id: string, pfId: string, url: string, ok: boolean): NetEvent[] {
  const pf = [
    ev('send-headers', pfId, url, 'OPTIONS', {
      requestHeaders: h({
        Origin: PAGE,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'x-api-key',
      }),
    }),
    ev('headers-received', pfId, url, 'OPTIONS', {
      statusCode: 204,
      responseHeaders: h(
        ok
          ? {
              'Access-Control-Allow-Origin': PAGE,
              'Access-Control-Allow-Methods': 'PUT',
              'Access-Control-Allow-Headers': 'x-api-key',
            }
          : { 'Access-Control-Allow-Origin': PAGE },
      ),
    }),
    ev('completed', pfId, url, 'OPTIONS', { statusCode: 204 }),
  ];
  if (!ok) return [...pf, ev('error', id, url, 'PUT', { error: 'net::ERR_FAILED' })];
  return [
    ...pf,
    ev('send-headers', id, url, 'PUT', { requestHeaders: h({ Origin: PAGE, 'X-Api-Key': '1' }) }),
    ev('headers-received', id, url, 'PUT', {
      statusCode: 200,
      responseHeaders: h({ 'Access-Control-Allow-Origin': PAGE }),
    }),
    ev('completed', id, url, 'PUT', { statusCode: 200 }),
  ];
}

/** Firefox: the actual request's headers go out first, the preflight fires right before its response. */
export function firefoxPreflightedPut(id: string, pfId: string, url: string): NetEvent[] {
  return [
    ev('send-headers', id, url, 'PUT', { requestHeaders: h({ Origin: PAGE, 'X-Api-Key': '1' }) }),
    ev('send-headers', pfId, url, 'OPTIONS', {
      requestHeaders: h({
        Origin: PAGE,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'x-api-key',
      }),
    }),
    ev('headers-received', pfId, url, 'OPTIONS', {
      statusCode: 204,
      responseHeaders: h({
        'Access-Control-Allow-Origin': PAGE,
        'Access-Control-Allow-Methods': 'PUT',
        'Access-Control-Allow-Headers': 'x-api-key',
      }),
    }),
    ev('completed', pfId, url, 'OPTIONS', { statusCode: 204 }),
    ev('headers-received', id, url, 'PUT', {
      statusCode: 200,
      responseHeaders: h({ 'Access-Control-Allow-Origin': PAGE }),
    }),
    ev('completed', id, url, 'PUT', { statusCode: 200 }),
  ];
}
