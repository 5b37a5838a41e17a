// HAR export: one entry per exchange with the verdict in `_cors`; importing the export gives the requests back.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evaluate } from '../../../src/engine/index';
import type { ObservedRequest } from '../../../src/engine/types';
import { exportHar } from '../../../src/har/export';
import { importHar } from '../../../src/har/import';

const FIX = resolve(__dirname, '../cli/fixtures');
const load = (f: string) => importHar(readFileSync(resolve(FIX, f), 'utf8')).requests;
// HAR has no way to say "request headers unknown": an exported null comes back as [].
const normalise = (rs: ObservedRequest[]) =>
  rs.map((r) => ({ ...r, exchanges: r.exchanges.map((x) => ({ ...x, requestHeaders: x.requestHeaders ?? [] })) }));

describe('exportHar', () => {
  for (const f of ['chrome-devtools.har', 'firefox.har', 'recording-redirect.har']) {
    it(`round-trips ${f} through import (redact: false)`, () => {
      const reqs = load(f);
      const items = reqs.map((request) => ({ request, verdict: evaluate(request, { browser: 'chromium' }) }));
      const har = exportHar(items, { redact: false });
      expect(har.log.entries).toHaveLength(reqs.reduce((n, r) => n + r.exchanges.length, 0));
      const back = importHar(JSON.parse(JSON.stringify(har)));
      expect(back.error).toBeUndefined();
      expect(normalise(back.requests)).toEqual(normalise(reqs));
    });
  }
  it("writes the page observer's targetAddressSpace and secureContext and reads them back", () => {
    const request: ObservedRequest = {
      id: 'r1',
      initiator: 'http://127.0.0.1:8301',
      type: 'fetch',
      method: 'GET',
      url: 'http://127.0.0.1:8302/x',
      exchanges: [
        {
          kind: 'main',
          url: 'http://127.0.0.1:8302/x',
          method: 'GET',
          requestHeaders: [],
          response: null,
          error: 'net::ERR_FAILED',
        },
      ],
      outcome: { kind: 'error', error: 'net::ERR_FAILED' },
      hints: { source: 'page-observer', mode: 'cors', targetAddressSpace: 'local', secureContext: true },
    };
    const har = exportHar([{ request, verdict: evaluate(request, { browser: 'chromium' }) }], { redact: false });
    expect(har.log.entries[0]._corsLens).toMatchObject({
      targetAddressSpace: 'local',
      secureContext: true,
      hintSource: 'page-observer',
    });
    const back = importHar(JSON.parse(JSON.stringify(har))).requests[0];
    expect(back.hints).toEqual(request.hints);
    expect(evaluate(back, { browser: 'chromium' })).toMatchObject({
      kind: 'not-cors',
      corsError: 'InvalidLocalNetworkAccess',
    });
  });
  it('carries the verdict and the fix in _cors on every entry', () => {
    const reqs = load('chrome-devtools.har');
    const items = reqs.map((request) => ({
      request,
      verdict: evaluate(request, { browser: 'chromium' }),
      fix: { code: 'x' },
    }));
    const har = exportHar(items, { redact: true });
    const put = har.log.entries.filter((e) => e.request.url.endsWith('/items/1'));
    expect(put.map((e) => e._resourceType)).toEqual(['preflight', 'fetch']);
    for (const e of put) {
      expect(e._cors).toMatchObject({
        verdict: 'blocked',
        reason: 'HeaderDisallowedByPreflightResponse',
        failedParameter: 'x-api-key',
        firefoxReason: 'CORSMissingAllowHeaderFromPreflight',
        fix: { code: 'x' },
      });
      expect(e._cors.summary).toContain('x-api-key');
    }
    expect(put[1].response._error).toBe('net::ERR_FAILED');
  });
  it('redacts secrets by default and keeps them only with redact: false', () => {
    const reqs = load('firefox.har');
    const items = reqs.map((request) => ({ request, verdict: evaluate(request, { browser: 'firefox' }) }));
    const red = JSON.stringify(exportHar(items, { redact: true }));
    expect(red).not.toContain('s3cr3t');
    expect(red).not.toContain('eyJzdWIiOiIxMjMifQ');
    expect(red).toContain('Bearer REDACTED');
    const raw = JSON.stringify(exportHar(items, { redact: false }));
    expect(raw).toContain('s3cr3t');
  });
});
