// The live capture on the oracle's corner-case families: each Chromium recording is turned back into the webRequest
// events Chromium fires for it (order measured on Chromium 156 with a probe extension: a preflight's events come
// before the hop it preflights; after a redirect the next hop's preflight comes before that hop's send-headers, and
// when it fails the request ends with an error on the new URL and no send-headers for it), fed to the correlator,
// and the correlated request judged by the engine. The verdict must be the one Chromium reported.
import { describe, expect, it } from 'vitest';
import { Correlator } from '../../../src/capture/correlator';
import type { NetEvent } from '../../../src/capture/events';
import { evaluate } from '../../../src/engine';
import type { Header, ObservedRequest, Verdict } from '../../../src/engine/types';
import { loadRecordings, type Recording } from '../../oracle/recordings-io';
import type { ExpectedVerdict } from '../../oracle/har-writer';

interface HarEntry {
  request: { method: string; url: string; headers: Header[] };
  response: { status: number; headers: Header[]; redirectURL: string; _error?: string };
  _resourceType: string;
  _corsLens?: { synthesized?: true };
}

const FAMILIES = /^(re-preflight-|refused-|preflight-3xx-|actual-3xx-|redirect-preflighted-put-307-)/;

function eventsOf(rec: Recording): NetEvent[] {
  const har = JSON.parse(rec.text) as { log: { entries: HarEntry[]; _corsLens: { pageOrigin: string } } };
  const base = { tabId: 7, type: 'xmlhttprequest' as const, initiator: har.log._corsLens.pageOrigin };
  let t = 1000;
  const out: NetEvent[] = [];
  har.log.entries.forEach((e, i) => {
    const preflight = e._resourceType === 'preflight';
    const id = preflight ? `p${i}` : 'm';
    const at = { ...base, requestId: id, url: e.request.url, method: e.request.method };
    if (e._corsLens?.synthesized) {
      out.push({ ...at, kind: 'error', error: e.response._error ?? 'net::ERR_FAILED', timeStamp: t++ });
      return;
    }
    out.push({ ...at, kind: 'send-headers', requestHeaders: e.request.headers, timeStamp: t++ });
    out.push({
      ...at,
      kind: 'headers-received',
      statusCode: e.response.status,
      responseHeaders: e.response.headers,
      timeStamp: t++,
    });
    // webRequest reports a redirect only when the browser followed it: the wire log shows the next hop going out.
    const followed =
      !preflight &&
      !!e.response.redirectURL &&
      har.log.entries.slice(i + 1).some((n) => n.request.url === e.response.redirectURL);
    if (followed)
      out.push({
        ...at,
        kind: 'redirect',
        statusCode: e.response.status,
        redirectUrl: e.response.redirectURL,
        timeStamp: t++,
      });
    else if (e.response._error) out.push({ ...at, kind: 'error', error: e.response._error, timeStamp: t++ });
    else out.push({ ...at, kind: 'completed', statusCode: e.response.status, timeStamp: t++ });
  });
  return out;
}

function agrees(e: ExpectedVerdict, v: Verdict): boolean {
  if (e.verdict === 'blocked') {
    return (
      v.kind === 'blocked' &&
      v.reason.corsError === e.chromium?.corsError &&
      v.reason.failedParameter === e.chromium?.failedParameter
    );
  }
  return v.kind === e.verdict;
}

describe('live capture replays the oracle corner cases (Chromium event order)', () => {
  const recordings = loadRecordings('chromium').filter((r) => FAMILIES.test(r.scenario) && r.expected.length === 1);
  it('covers the families', () => {
    expect(recordings.length).toBeGreaterThan(90);
  });
  it('every correlated request gets the verdict Chromium reported, and no preflight is left unclaimed', () => {
    const wrong: string[] = [];
    for (const rec of recordings) {
      const done: ObservedRequest[] = [];
      const c = new Correlator({ onFinished: (_t, r) => done.push(r) });
      for (const ev of eventsOf(rec)) c.handle(ev);
      const expected = rec.expected[0];
      if (done.length !== 1 || c.size !== 0) {
        wrong.push(`${rec.scenario}: ${done.length} requests, ${c.size} flights left`);
        continue;
      }
      const v = evaluate(done[0], { browser: 'chromium' });
      if (!agrees(expected, v)) {
        const got = v.kind === 'blocked' ? `${v.reason.corsError} [${v.reason.failedParameter}]` : v.kind;
        wrong.push(
          `${rec.scenario}: Chromium ${expected.verdict} ${expected.chromium?.corsError ?? ''} [${expected.chromium?.failedParameter ?? ''}] | capture ${got}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });
});
