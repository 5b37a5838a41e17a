// Calls that failed in the page (page observer): a request of their own when the network never saw them, the page's
// word on the observed request otherwise, whichever arrives first; forged or malformed failures are dropped.
import { describe, expect, it } from 'vitest';
import { CaptureService, type KeyValueStorage } from '../../../src/capture/capture-service';
import { isPageFailureHint } from '../../../src/capture/page-failures';
import { evaluate, type Verdict } from '../../../src/engine';
import { API, PAGE, ev } from './net-events';

const storage = (): KeyValueStorage => ({
  async getAll() {
    return {};
  },
  async write() {},
});
const make = () =>
  new CaptureService({
    browser: 'chromium',
    storage: storage(),
    evaluate: (r, b) => evaluate(r, { browser: b }),
    isQuotaError: () => false,
    now: () => 1_000,
  });
const cause = (v: Verdict) => (v.kind === 'not-cors' ? v.cause : v.kind);

const failure = (url: string, extra: Record<string, unknown> = {}) => ({
  api: 'fetch',
  url,
  method: 'GET',
  mode: 'cors',
  credentials: 'same-origin',
  t: 1_000,
  secureContext: true,
  failure: { name: 'TypeError', message: 'Failed to fetch', afterMs: 3 },
  ...extra,
});

/** A request Chromium failed before any response: send-headers then error. */
function failed(id: string, url: string, error: string) {
  return [
    ev('send-headers', id, url, 'GET', { requestHeaders: [{ name: 'Origin', value: PAGE }], timeStamp: 1_000 }),
    ev('error', id, url, 'GET', { error, timeStamp: 1_010 }),
  ];
}

describe('page failures in the capture service', () => {
  it("a CSP block the network never saw becomes a row of its own, initiator from the sender's document URL", async () => {
    const s = make();
    await s.ready;
    const url = `${API}/csp`;
    s.onPageHints(
      7,
      [
        failure(url, {
          failure: {
            name: 'TypeError',
            csp: { directive: 'connect-src', policy: "connect-src 'self'" },
            networkless: true,
          },
        }),
      ],
      `${PAGE}/app`,
    );
    const [e] = s.store.entries(7);
    expect(e.request.initiator).toBe(PAGE);
    expect(e.request.exchanges).toEqual([]);
    expect(cause(e.verdict)).toBe('csp');
  });

  it("a renderer-side CORS error (mode same-origin to another origin) is a blocked row with Chromium's CorsError", async () => {
    const s = make();
    await s.ready;
    s.onPageHints(
      7,
      [failure(`${API}/so`, { mode: 'same-origin', failure: { name: 'TypeError', networkless: true } })],
      `${PAGE}/`,
    );
    const v = s.store.entries(7)[0].verdict;
    expect(v.kind === 'blocked' && v.reason.corsError).toBe('DisallowedByMode');
  });

  it('an abort reported after the request finished re-diagnoses it as aborted-by-page', async () => {
    const s = make();
    const url = `${API}/slow`;
    for (const e of failed('a1', url, 'net::ERR_ABORTED')) s.onEvent(e);
    await s.ready;
    expect(cause(s.store.entries(7)[0].verdict)).not.toBe('aborted-by-page');
    s.onPageHints(7, [failure(url, { failure: { name: 'AbortError', afterMs: 120 } })], `${PAGE}/`);
    const [e] = s.store.entries(7);
    expect(s.store.entries(7)).toHaveLength(1);
    expect(cause(e.verdict)).toBe('aborted-by-page');
    expect(e.verdict.kind === 'not-cors' && e.verdict.detail).toContain('after 120 ms');
  });

  it("a failure that arrives before the network's last event is applied when the request finishes", async () => {
    const s = make();
    await s.ready;
    const url = `${API}/wrong-space`;
    s.onPageHints(7, [failure(url, { targetAddressSpace: 'local' })], `${PAGE}/`);
    expect(s.store.entries(7)).toHaveLength(0);
    for (const e of failed('w1', url, 'net::ERR_FAILED')) s.onEvent(e);
    const v = s.store.entries(7)[0].verdict;
    expect(v.kind === 'not-cors' && v.corsError).toBe('InvalidLocalNetworkAccess');
  });

  it('forged failures are dropped', () => {
    expect(isPageFailureHint(failure(`${API}/x`))).toBe(true);
    expect(isPageFailureHint(failure(`${API}/x`, { failure: { name: 7 } }))).toBe(false);
    expect(
      isPageFailureHint(failure(`${API}/x`, { failure: { name: 'TypeError', csp: { directive: 'x'.repeat(500) } } })),
    ).toBe(false);
    expect(isPageFailureHint(failure(`${API}/x`, { mode: 'evil' }))).toBe(false);
    expect(isPageFailureHint(failure(`${API}/x`, { failure: { name: 'TypeError', networkless: 'yes' } }))).toBe(false);
  });
});
