// One fix per origin, the same everywhere: for the same traffic, `explain --framework` (the real CLI on a
// HAR), the panel's fix view (mergedFixForOrigin over the tab's entries), the popup (the worker's summary →
// mergedFixForOrigin), the demo (suggestMergedFix) and `probe --framework` give the same config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportHar } from '../../../src/har/export';
import { importHar } from '../../../src/har/import';
import { evaluate } from '../../../src/engine/index';
import { mergedFixForOrigin, suggestMergedFix, type PolicyItem } from '../../../src/suggest/index';
import { summaryFor } from '../../../extension/background/report';
import { cli } from '../cli/run-cli';
import { API, judge, type Call, type ServerPolicy } from './traffic';

const PAGE = 'http://app.test:3000';
const ADMIN = 'http://admin.test:3000';
const SERVER: ServerPolicy = {
  origins: [PAGE, ADMIN],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  headers: ['Content-Type', 'Authorization'],
  expose: ['ETag', 'X-Total-Count', 'X-Request-Id'],
};
const CALLS: Call[] = [
  { id: 'me', origin: PAGE, method: 'GET', headers: [], credentials: true },
  { id: 'put', origin: PAGE, method: 'PUT', headers: ['authorization', 'content-type'], credentials: true },
  { id: 'del', origin: PAGE, method: 'DELETE', headers: [], credentials: true },
  { id: 'key', origin: PAGE, method: 'GET', headers: ['x-api-key'], credentials: true },
  { id: 'patch', origin: PAGE, method: 'PATCH', headers: [], credentials: true },
  // Works today from a second page origin: a caller that leaves allowed requests out loses it.
  { id: 'admin', origin: ADMIN, method: 'GET', headers: [], credentials: false },
];
const FW = 'express';
const T = 120_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-same-fix-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the same merged fix from every caller', () => {
  it(
    'explain --framework, the panel, the popup and the demo agree for one capture',
    async () => {
      const har = exportHar(
        CALLS.map((c) => judge(c, SERVER)),
        { redact: false },
      );
      const file = join(dir, 'mixed.har');
      writeFileSync(file, JSON.stringify(har));
      // Every surface starts from the same capture: the HAR as the CLI reads it.
      const imported = importHar(JSON.stringify(har), {});
      const items: PolicyItem[] = imported.requests.map((request) => ({
        request,
        verdict: evaluate(request, { browser: 'chromium' }),
      }));
      expect(items.filter((i) => i.verdict.kind === 'blocked')).toHaveLength(2);

      const demo = suggestMergedFix(items, FW).perOrigin;
      expect(demo).toHaveLength(1);
      const panel = mergedFixForOrigin(items, API, FW).fix!;
      const entries = items.map((it, seq) => ({ seq, request: it.request, verdict: it.verdict, bytes: 0 }));
      const meta = {
        tabId: 1,
        firstSeq: 0,
        nextSeq: entries.length,
        dropped: 0,
        droppedForQuota: 0,
        preserveLog: false,
        blocked: 0,
        navigations: 0,
      };
      const summary = summaryFor(1, meta, entries);
      const popupItems = [...summary.failing, ...(summary.working ?? [])].map((e) => ({
        request: e.request,
        verdict: e.verdict,
      }));
      const popup = mergedFixForOrigin(popupItems, API, FW).fix!;
      const run = await cli(['explain', file, '--json', '--framework', FW]);
      expect(run.stderr).toBe('');
      const fromCli = JSON.parse(run.stdout).fixes.perOrigin[0];

      for (const other of [panel, popup, fromCli]) {
        expect(other.config.code).toBe(demo[0].config.code);
        expect(other.diff).toEqual(demo[0].diff);
      }
      // The terminal shows the change first, then the full config it belongs to.
      const text = (await cli(['explain', file, '--framework', FW])).stdout;
      const change = text.indexOf(
        '  + add x-api-key to your existing Access-Control-Allow-Headers list → Content-Type, Authorization, x-api-key',
      );
      expect(change).toBeGreaterThan(0);
      expect(text).toContain(
        '  + add PATCH to your existing Access-Control-Allow-Methods list → GET, POST, PUT, DELETE, PATCH',
      );
      expect(text.indexOf('Full config (a full replacement for your current CORS setup')).toBeGreaterThan(change);
      expect(text).toContain(demo[0].config.code.split('\n').find((l) => l.includes('allowedHeaders')));
      // And it is the merged one: PUT, DELETE, PATCH, credentials, Authorization and x-api-key.
      expect(demo[0].config.code).toMatch(/methods: \['GET', 'HEAD', 'POST', 'DELETE', 'PATCH', 'PUT'\]/);
      expect(demo[0].config.code).toMatch(/allowedHeaders: \['authorization', 'content-type', 'x-api-key'\]/);
      expect(demo[0].config.code).toMatch(/credentials: true/);
      expect(demo[0].config.code).toContain(`origin: ['${ADMIN}', '${PAGE}']`);
    },
    T,
  );

  it(
    'probe --framework gives the config the other callers give for that one request',
    async () => {
      // The model server on loopback, answering like SERVER does.
      const server = http.createServer((req, res) => {
        const origin = req.headers.origin ?? '';
        if (origin === PAGE) {
          res.setHeader('Access-Control-Allow-Origin', origin);
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Vary', 'Origin');
        }
        if (req.method === 'OPTIONS') {
          if (origin === PAGE) {
            res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
            res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
          }
          res.statusCode = 204;
          res.end();
          return;
        }
        res.setHeader('ETag', '"v1"');
        res.end('ok');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
        const run = await cli([
          'probe',
          `${api}/api/items`,
          '--origin',
          PAGE,
          '--method',
          'PATCH',
          '-H',
          'X-Api-Key: k',
          '--credentials',
          '--json',
          '--framework',
          FW,
        ]);
        const out = JSON.parse(run.stdout);
        expect(out.reason).toBe('MethodDisallowedByPreflightResponse');
        const probeFix = out.fix.perOrigin[0];
        const item = judge(
          { id: 'p', origin: PAGE, method: 'PATCH', headers: ['x-api-key'], credentials: true },
          SERVER,
        );
        const viaOthers = mergedFixForOrigin([item], API, FW).fix!;
        // Same policy for the same request, wherever the API lives.
        expect(probeFix.code).toBe(viaOthers.config.code);
        expect(probeFix.diff).toEqual(viaOthers.diff);
        expect(out.action).toMatch(/PATCH.*x-api-key/);
      } finally {
        server.close();
      }
    },
    T,
  );
});
