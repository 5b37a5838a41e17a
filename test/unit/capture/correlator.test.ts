// The correlator folds webRequest events into logical requests, in Chromium's and Firefox's event orders.
import { describe, expect, it } from 'vitest';
import { Correlator } from '../../../src/capture/correlator';
import type { NetEvent } from '../../../src/capture/events';
import { evaluate } from '../../../src/engine';
import type { ObservedRequest } from '../../../src/engine/types';
import { API, PAGE, chromiumPreflightedPut, ev, firefoxPreflightedPut, h, simpleGet } from './net-events';

function run(events: ReturnType<typeof simpleGet>): { done: ObservedRequest[]; c: Correlator } {
  const done: ObservedRequest[] = [];
  const c = new Correlator({ onFinished: (_t, r) => done.push(r) });
  for (const e of events) c.handle(e);
  return { done, c };
}

describe('correlator', () => {
  it('a cross-origin GET becomes one request with its headers and outcome', () => {
    const { done, c } = run(simpleGet('1', `${API}/a`, PAGE));
    expect(done).toHaveLength(1);
    expect(done[0].exchanges).toHaveLength(1);
    expect(done[0].outcome).toEqual({ kind: 'completed', status: 200 });
    expect(done[0].initiator).toBe(PAGE);
    expect(c.size).toBe(0);
  });

  it('same-origin requests are not diagnosed', () => {
    const { done } = run(simpleGet('1', `${PAGE}/same`));
    expect(done).toHaveLength(0);
  });

  it('Chromium order: the preflight seen first is folded in before its PUT', () => {
    const { done } = run(chromiumPreflightedPut('10', '11', `${API}/put`, true));
    expect(done).toHaveLength(1);
    expect(done[0].exchanges.map((x) => `${x.kind}:${x.method}`)).toEqual(['preflight:OPTIONS', 'main:PUT']);
    expect(done[0].exchanges[0].response?.status).toBe(204);
  });

  it('Chromium order: a failed preflight and the never-sent request are one blocked request', () => {
    const { done } = run(chromiumPreflightedPut('10', '11', `${API}/put`, false));
    expect(done).toHaveLength(1);
    const [pf, main] = done[0].exchanges;
    expect(pf.kind).toBe('preflight');
    expect(main.requestHeaders).toBeNull();
    expect(done[0].outcome).toEqual({ kind: 'error', error: 'net::ERR_FAILED' });
  });

  it('Firefox order: a preflight that fires after the request went out attaches to it', () => {
    const { done } = run(firefoxPreflightedPut('20', '21', `${API}/put`));
    expect(done).toHaveLength(1);
    expect(done[0].exchanges.map((x) => x.kind)).toEqual(['preflight', 'main']);
    expect(done[0].exchanges[1].response?.status).toBe(200);
  });

  it('two concurrent preflighted PUTs to one URL pair first-come first-served', () => {
    const a = chromiumPreflightedPut('30', '31', `${API}/same`, true);
    const b = chromiumPreflightedPut('40', '41', `${API}/same`, true);
    // Both preflights, then both requests.
    const { done } = run([...a.slice(0, 3), ...b.slice(0, 3), ...a.slice(3), ...b.slice(3)]);
    expect(done.map((r) => r.id)).toEqual(['30', '40']);
    for (const r of done) expect(r.exchanges.map((x) => x.kind)).toEqual(['preflight', 'main']);
  });

  it('a preflight for another method is not taken', () => {
    const pf = chromiumPreflightedPut('50', '51', `${API}/m`, true).slice(0, 3);
    const { done } = run([...pf, ...simpleGet('52', `${API}/m`, PAGE)]);
    expect(done).toHaveLength(1);
    expect(done[0].exchanges.map((x) => x.kind)).toEqual(['main']);
  });

  it('redirect hops chain on one requestId, and a same-origin request that redirects cross-origin is followed', () => {
    const url1 = `${PAGE}/start`;
    const url2 = `${API}/target`;
    const { done } = run([
      ev('send-headers', '60', url1, 'GET', { requestHeaders: [] }),
      ev('headers-received', '60', url1, 'GET', { statusCode: 302, responseHeaders: h({ Location: url2 }) }),
      ev('redirect', '60', url1, 'GET', { statusCode: 302, redirectUrl: url2 }),
      ev('send-headers', '60', url2, 'GET', { requestHeaders: h({ Origin: PAGE }) }),
      ev('headers-received', '60', url2, 'GET', { statusCode: 200, responseHeaders: [] }),
      ev('error', '60', url2, 'GET', { error: 'net::ERR_FAILED' }),
    ]);
    expect(done).toHaveLength(1);
    expect(done[0].exchanges.map((x) => x.url)).toEqual([url1, url2]);
    expect(done[0].exchanges[0].redirectUrl).toBe(url2);
  });

  it('ignores other extensions, the browser itself, and requests from extension pages', () => {
    const { done } = run([
      ...simpleGet('70', `${API}/x`).map((e) => ({ ...e, tabId: -1 })),
      ...simpleGet('71', `${API}/x`).map((e) => ({ ...e, initiator: 'chrome-extension://abc' })),
      ...simpleGet('72', `${API}/x`).map((e) => ({ ...e, initiator: null })),
    ]);
    expect(done).toHaveLength(0);
  });

  it('state survives a restart mid-request: a new correlator restored from JSON finishes it', () => {
    const events = chromiumPreflightedPut('80', '81', `${API}/put`, true);
    const first = run(events.slice(0, 4)); // preflight done, PUT sent, worker dies
    expect(first.done).toHaveLength(0);
    const saved = JSON.parse(JSON.stringify(first.c.toJSON()));
    const done: ObservedRequest[] = [];
    const c2 = new Correlator({ onFinished: (_t, r) => done.push(r) });
    c2.restore(saved);
    for (const e of events.slice(4)) c2.handle(e);
    expect(done).toHaveLength(1);
    expect(done[0].exchanges.map((x) => x.kind)).toEqual(['preflight', 'main']);
    expect(done[0].exchanges[1].requestHeaders).not.toBeNull();
  });

  it('a request first seen at its response (state lost) is adopted, not dropped', () => {
    const { done } = run(simpleGet('90', `${API}/late`).slice(1));
    expect(done).toHaveLength(1);
    expect(done[0].exchanges[0].requestHeaders).toBeNull();
  });

  it('sweep forgets orphan preflights and finishes stale requests as unknown', () => {
    const done: ObservedRequest[] = [];
    const c = new Correlator({ onFinished: (_t, r) => done.push(r), staleAfterMs: 10 });
    const pf = chromiumPreflightedPut('100', '101', `${API}/o`, true).slice(0, 3);
    for (const e of pf) c.handle(e);
    c.handle(ev('send-headers', '102', `${API}/stale`, 'GET', { requestHeaders: h({ Origin: PAGE }) }));
    c.sweep(Date.now() + 1e9);
    expect(c.size).toBe(0);
    expect(c.orphanPreflights).toBe(1);
    expect(done.map((r) => [r.id, r.outcome.kind])).toEqual([['102', 'unknown']]);
  });
});

describe('correlator: re-preflights after a 307/308', () => {
  // webRequest events in the order Chromium 156 fires them (measured with a probe extension): the redirect, then
  // the next hop's preflight, then — when that preflight fails — the request's error on the new URL, with no
  // send-headers for the hop the preflight refused.
  const C = 'http://localhost:8103';
  const pfEvents = (pfId: string, url: string, ok: boolean) => [
    ev('send-headers', pfId, url, 'OPTIONS', {
      requestHeaders: h({ Origin: 'null', 'Access-Control-Request-Method': 'PUT' }),
    }),
    ev('headers-received', pfId, url, 'OPTIONS', {
      statusCode: 204,
      responseHeaders: ok ? h({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT' }) : [],
    }),
    ev('completed', pfId, url, 'OPTIONS', { statusCode: 204 }),
  ];
  const hop = (id: string, url: string, next: string) => [
    ev('send-headers', id, url, 'PUT', { requestHeaders: h({ Origin: 'null' }) }),
    ev('headers-received', id, url, 'PUT', {
      statusCode: 307,
      responseHeaders: h({ 'Access-Control-Allow-Origin': '*', Location: next }),
    }),
    ev('redirect', id, url, 'PUT', { statusCode: 307, redirectUrl: next }),
  ];
  /** A PUT to API whose first preflight passes, redirected through `hops` URLs; the preflight at hop `failAt` fails. */
  function chain(hops: string[], failAt: number): NetEvent[] {
    const out: NetEvent[] = [...pfEvents('p0', `${API}/r`, true)];
    const urls = [`${API}/r`, ...hops];
    for (let i = 0; i < urls.length; i++) {
      if (i > 0) out.push(...pfEvents(`p${i}`, urls[i], i !== failAt));
      if (i === failAt) {
        out.push(ev('error', 'm', urls[i], 'PUT', { error: 'net::ERR_FAILED' }));
        break;
      }
      if (i === urls.length - 1) {
        out.push(
          ev('send-headers', 'm', urls[i], 'PUT', { requestHeaders: h({ Origin: 'null' }) }),
          ev('headers-received', 'm', urls[i], 'PUT', {
            statusCode: 200,
            responseHeaders: h({ 'Access-Control-Allow-Origin': '*' }),
          }),
          ev('completed', 'm', urls[i], 'PUT', { statusCode: 200 }),
        );
      } else out.push(...hop('m', urls[i], urls[i + 1]));
    }
    return out;
  }

  for (const [hops, failAt] of [
    [[`${C}/1`], 1],
    [[`${C}/1`, `${API}/2`], 2],
    [[`${C}/1`, `${API}/2`, `${C}/3`], 1],
    [[`${C}/1`, `${API}/2`, `${C}/3`], 3],
  ] as const) {
    it(`${hops.length} hop(s), the re-preflight at hop ${failAt} fails: it is claimed by that hop, and the verdict is Chromium's`, () => {
      const { done, c } = run(chain([...hops], failAt));
      expect(done).toHaveLength(1);
      const q = done[0];
      const urls = [`${API}/r`, ...hops];
      const expected: string[] = [];
      for (let i = 0; i <= failAt; i++) expected.push(`preflight ${urls[i]}`, `main ${urls[i]}`);
      expect(q.exchanges.map((x) => `${x.kind} ${x.url}`)).toEqual(expected);
      const last = q.exchanges[q.exchanges.length - 1];
      expect(last).toMatchObject({ requestHeaders: null, response: null, error: 'net::ERR_FAILED', method: 'PUT' });
      expect(q.exchanges[q.exchanges.length - 3].error).toBeUndefined();
      expect(c.orphanPreflights).toBe(0);
      expect(c.size).toBe(0);
      const v = evaluate(q, { browser: 'chromium' });
      expect(v.kind === 'blocked' && v.reason).toMatchObject({
        corsError: 'PreflightMissingAllowOriginHeader',
        exchangeIndex: 2 * failAt,
      });
    });
  }

  it("a passing re-preflight opens the hop, and the hop's own send-headers fills in its request headers", () => {
    const { done } = run(chain([`${C}/1`], 99));
    expect(done[0].exchanges.map((x) => x.kind)).toEqual(['preflight', 'main', 'preflight', 'main']);
    expect(done[0].exchanges[3].requestHeaders).toEqual(h({ Origin: 'null' }));
    expect(evaluate(done[0], { browser: 'chromium' }).kind).toBe('allowed');
  });

  it('a preflight that arrives before the redirect event is claimed when the redirect is reported', () => {
    const events = chain([`${C}/1`], 1);
    const redirectAt = events.findIndex((e) => e.kind === 'redirect');
    const pfAt = events.findIndex((e) => e.requestId === 'p1');
    const reordered = [
      ...events.slice(0, redirectAt),
      ...events.slice(pfAt, pfAt + 3),
      events[redirectAt],
      ...events.slice(pfAt + 3),
    ];
    const { done, c } = run(reordered);
    expect(done[0].exchanges.map((x) => x.kind)).toEqual(['preflight', 'main', 'preflight', 'main']);
    expect(c.orphanPreflights).toBe(0);
  });

  it('a preflight for another method (a 303 turned the PUT into GET) is not taken by the redirected request', () => {
    const events = chain([`${C}/1`], 1).map((e) =>
      e.kind === 'redirect' || (e.kind === 'headers-received' && e.requestId === 'm') ? { ...e, statusCode: 303 } : e,
    );
    const { done } = run(events);
    expect(done[0].exchanges.map((x) => x.kind)).toEqual(['preflight', 'main']);
  });
});

describe('correlator: re-preflights after a 307 in Firefox order', () => {
  // Firefox ESR 153 (measured with a probe extension): the next hop's send-headers first, then its preflight, which
  // ends in an error (NS_ERROR_DOM_BAD_URI) when refused, then the request's error on the new URL.
  it("the failing preflight is claimed by the hop already sent, and the verdict is Firefox's CORSMissingAllowOrigin", () => {
    const C = 'http://localhost:8103';
    const pf = (id: string, url: string, ok: boolean) => [
      ev('send-headers', id, url, 'OPTIONS', {
        requestHeaders: h({ Origin: PAGE, 'Access-Control-Request-Method': 'PUT' }),
      }),
      ev('headers-received', id, url, 'OPTIONS', {
        statusCode: 204,
        responseHeaders: ok ? h({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT' }) : [],
      }),
      ok
        ? ev('completed', id, url, 'OPTIONS', { statusCode: 204 })
        : ev('error', id, url, 'OPTIONS', { error: 'NS_ERROR_DOM_BAD_URI' }),
    ];
    const { done, c } = run([
      ev('send-headers', 'm', `${API}/r`, 'PUT', { requestHeaders: h({ Origin: PAGE }) }),
      ...pf('p0', `${API}/r`, true),
      ev('headers-received', 'm', `${API}/r`, 'PUT', {
        statusCode: 307,
        responseHeaders: h({ 'Access-Control-Allow-Origin': '*', Location: `${C}/1` }),
      }),
      ev('redirect', 'm', `${API}/r`, 'PUT', { statusCode: 307, redirectUrl: `${C}/1` }),
      ev('send-headers', 'm', `${C}/1`, 'PUT', { requestHeaders: h({ Origin: 'null' }) }),
      ...pf('p1', `${C}/1`, false),
      ev('error', 'm', `${C}/1`, 'PUT', { error: 'NS_ERROR_DOM_BAD_URI' }),
    ]);
    expect(done).toHaveLength(1);
    expect(done[0].exchanges.map((x) => `${x.kind} ${x.url}`)).toEqual([
      `preflight ${API}/r`,
      `main ${API}/r`,
      `preflight ${C}/1`,
      `main ${C}/1`,
    ]);
    expect(c.size).toBe(0);
    const v = evaluate(done[0], { browser: 'firefox' });
    expect(v.kind === 'blocked' && v.reason).toMatchObject({
      firefoxReason: 'CORSMissingAllowOrigin',
      exchangeIndex: 2,
    });
  });
});
