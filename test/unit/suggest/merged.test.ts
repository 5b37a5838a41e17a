// The merged fix (src/suggest/merged.ts): united with what the server sends today and every request seen,
// shown as a change, narrowing said out loud — judged by the real engine against a model server.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergedFixForOrigin, suggestMergedFix } from '../../../src/suggest/index';
import { explain } from '../../../src/report/explain';
import { API, judge, outcome, serverFrom, type Call, type ServerPolicy } from './traffic';

const PAGE = 'http://app.test:3000';
const OTHER = 'http://admin.test:3000';

/** The demo app's server: credentials, Content-Type and Authorization, PUT and DELETE. */
const DEMO: ServerPolicy = {
  origins: [PAGE],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  headers: ['Content-Type', 'Authorization'],
  expose: ['ETag'],
};

const call = (id: string, method: string, headers: string[] = [], credentials = false, origin = PAGE): Call => ({
  id,
  origin,
  method,
  headers,
  credentials,
});

function demoTraffic() {
  return [
    judge(call('me', 'GET', [], true), DEMO),
    judge(call('put', 'PUT', ['authorization', 'content-type'], true), DEMO),
    judge(call('del', 'DELETE', [], true), DEMO),
    judge(call('key', 'GET', ['x-api-key'], true), DEMO),
  ];
}

describe('merged fix', () => {
  it('keeps what works today and leads with the change ("add x-api-key to your existing list")', () => {
    const items = demoTraffic();
    expect(items.map((i) => i.verdict.kind)).toEqual([
      'allowed-hidden-headers',
      'allowed-hidden-headers',
      'allowed-hidden-headers',
      'blocked',
    ]);
    const { fix } = mergedFixForOrigin(items, API, 'express', 'key');
    expect(fix).not.toBeNull();
    // Even the "this request" scope keeps credentials, PUT/DELETE and Authorization.
    expect(fix!.policy.credentials).toBe(true);
    expect(fix!.policy.methods).toEqual(expect.arrayContaining(['PUT', 'DELETE']));
    expect(fix!.policy.requestHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-api-key']));
    expect(fix!.policy.exposeHeaders).toContain('etag');
    expect(fix!.diff).toContain(
      'add x-api-key to your existing Access-Control-Allow-Headers list → Content-Type, Authorization, x-api-key',
    );
    expect(fix!.replacement).toBe(false);
    expect(fix!.config.code).toMatch(/credentials: true/);
    expect(fix!.config.code).toMatch(/'PUT'/);
    expect(fix!.config.code).toMatch(/'DELETE'/);
    expect(fix!.defaults).toMatch(/GET, HEAD, PUT, PATCH, POST, DELETE/);
  });

  it('adds a new method to the existing list ("add PATCH")', () => {
    const items = [...demoTraffic(), judge(call('patch', 'PATCH', [], true), DEMO)];
    const fix = suggestMergedFix(items, 'nginx').perOrigin[0];
    expect(fix.diff).toContain(
      'add PATCH to your existing Access-Control-Allow-Methods list → GET, POST, PUT, DELETE, PATCH',
    );
    expect(fix.config.code).toMatch(/Access-Control-Allow-Methods "DELETE, PATCH, PUT"/);
  });

  it('a 60-name Access-Control-Allow-Headers list stays 60, plus the new name', () => {
    const names = Array.from({ length: 60 }, (_, i) => `X-Header-${i}`);
    const server: ServerPolicy = { ...DEMO, headers: names };
    const items = [judge(call('ok', 'GET', ['x-header-7']), server), judge(call('new', 'GET', ['x-new']), server)];
    expect(items[1].verdict.kind).toBe('blocked');
    const fix = suggestMergedFix(items, 'raw-headers').perOrigin[0];
    expect(fix.policy.requestHeaders).toHaveLength(61);
    const acah = fix.responseHeaders.preflight.find((h) => h.name === 'Access-Control-Allow-Headers')!.value;
    expect(acah.split(', ')).toHaveLength(61);
  });

  it('a * origin becomes the exact origins, and says so', () => {
    const server: ServerPolicy = {
      origins: '*',
      credentials: false,
      methods: ['GET', 'PUT'],
      headers: null,
      expose: '*',
    };
    const items = [
      judge(call('a', 'PUT'), server),
      judge(call('b', 'GET', [], false, OTHER), server),
      judge(call('c', 'GET', [], true), server),
    ];
    expect(items[2].verdict.kind).toBe('blocked');
    const fix = suggestMergedFix(items, 'express').perOrigin[0];
    expect(fix.policy.allowOrigins).toEqual([OTHER, PAGE].sort());
    expect(fix.narrowing.join('\n')).toMatch(/Access-Control-Allow-Origin: \* becomes the exact origin list/);
    // What `*` exposed to the non-credentialed calls stays readable by name.
    expect(fix.policy.exposeHeaders).toEqual(expect.arrayContaining(['etag', 'x-request-id', 'x-total-count']));
    expect(fix.narrowing.join('\n')).toMatch(/Access-Control-Expose-Headers: \* becomes the names seen/);
  });

  it('a server without any CORS header gets a config labelled as new', () => {
    const none: ServerPolicy = { origins: [], credentials: false, methods: null, headers: null, expose: null };
    const fix = suggestMergedFix([judge(call('a', 'GET'), none)], 'express').perOrigin[0];
    expect(fix.replacement).toBe(true);
    expect(fix.diff[0]).toMatch(/^allow the origin http:\/\/app\.test:3000/);
  });

  it('the explanation and the one-line fix name every refused header, not only the first', () => {
    const [item] = [judge(call('h', 'PUT', ['x-api-key', 'x-csrf-token', 'authorization'], true), DEMO)];
    expect(item.verdict.kind).toBe('blocked');
    const e = explain(item.request, item.verdict);
    expect(e.action).toMatch(/x-api-key/);
    expect(e.action).toMatch(/x-csrf-token/);
    expect(e.action).not.toMatch(/authorization/);
    const m = explain(
      ...(() => {
        const x = judge(call('m', 'PATCH', ['x-api-key'], true), DEMO);
        return [x.request, x.verdict] as const;
      })(),
    );
    expect(m.action).toMatch(/PATCH to Access-Control-Allow-Methods.*, and x-api-key to Access-Control-Allow-Headers/);
  });
});

describe('merged fix, property: nothing that worked breaks, everything that failed passes', () => {
  const ORIGINS = [PAGE, OTHER, 'http://third.test'];
  const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
  const HEADERS = ['content-type', 'authorization', 'x-api-key', 'x-csrf-token'];
  const EXPOSE = ['X-Total-Count', 'X-Request-Id', 'ETag'];
  const listOr = <T>(xs: T[]) => fc.oneof(fc.constant('*' as const), fc.subarray(xs), fc.constant(null));
  const server = fc.record({
    origins: fc.oneof(fc.constant('*' as const), fc.subarray(ORIGINS)),
    credentials: fc.boolean(),
    methods: listOr(METHODS),
    headers: listOr(HEADERS.map((h) => h.replace(/(^|-)\w/g, (c) => c.toUpperCase()))),
    expose: listOr(EXPOSE),
    maxAge: fc.option(fc.integer({ min: 0, max: 7200 }), { nil: undefined }),
  });
  const calls = fc.array(
    fc.record({
      origin: fc.constantFrom(...ORIGINS),
      method: fc.constantFrom(...METHODS),
      headers: fc.subarray(HEADERS),
      credentials: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  );

  it('for random traffic, the merged policy admits every request allowed before, with every header it could read', () => {
    fc.assert(
      fc.property(server, calls, (s: ServerPolicy, cs) => {
        const traffic: Call[] = cs.map((c, i) => ({ id: `c${i}`, ...c }));
        const before = traffic.map((c) => judge(c, s));
        const fixes = suggestMergedFix(before, 'raw-headers');
        if (!fixes.perOrigin.length) return; // nothing failed: nothing to paste
        const fixed = serverFrom(fixes.perOrigin[0].policy);
        traffic.forEach((c, i) => {
          const was = outcome(before[i].verdict);
          const now = outcome(judge(c, fixed).verdict);
          // Every request passes now: the ones that worked and the ones that failed.
          expect(now.passes, `${c.method} ${c.headers} from ${c.origin} creds=${c.credentials}`).toBe(true);
          for (const h of was.readable) expect(now.readable, `${c.id} could read ${h} before`).toContain(h);
        });
        // A foreign origin stays refused.
        expect(
          outcome(
            judge({ id: 'x', origin: 'http://evil.test', method: 'GET', headers: [], credentials: false }, fixed)
              .verdict,
          ).passes,
        ).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('merged fix, hostile response headers', () => {
  it('values the server sent that are not plain tokens or origins never reach the config', () => {
    const s: ServerPolicy = {
      origins: [PAGE],
      credentials: true,
      methods: ['GET', 'PUT', "DEL'ETE", '$(id)'],
      headers: ['X-Ok', 'x"y', '${jndi}'],
      expose: ['ETag', 'a b', '<script>'],
    };
    const items = [
      judge(call('ok', 'PUT', ['x-ok'], true), s),
      judge(call('new', 'GET', ['x-new'], true), s),
      judge(call('get', 'GET', [], true), s),
    ];
    const fix = suggestMergedFix(items, 'nginx').perOrigin[0];
    expect(fix.policy.methods).toEqual(['PUT']);
    expect(fix.policy.requestHeaders).toEqual(['x-new', 'x-ok']);
    expect(fix.policy.exposeHeaders).toContain('etag');
    for (const bad of ["DEL'ETE", '$(id)', 'x"y', '${jndi}', '<script>']) expect(fix.config.code).not.toContain(bad);
  });

  it('a preflight refused by status (Starlette 400) still names every refused method and header', () => {
    const item = judge(call('s', 'PATCH', ['x-api-key', 'authorization'], true), DEMO);
    // Starlette answers a refused preflight 400 with its lists: same exchange, status 400.
    item.request.exchanges[0] = {
      ...item.request.exchanges[0],
      response: { ...item.request.exchanges[0].response!, status: 400 },
    };
    const e = explain(item.request, {
      ...item.verdict,
      kind: 'blocked',
      reason: {
        corsError: 'PreflightInvalidStatus',
        failedParameter: '',
        firefoxReason: 'CORSPreflightDidNotSucceed',
        exchangeIndex: 0,
        stage: 'preflight',
      },
    } as never);
    expect(e.action).toBe(
      'Allow the method PATCH and the header x-api-key in the CORS configuration, so the preflight is answered with 2xx.',
    );
  });
});
