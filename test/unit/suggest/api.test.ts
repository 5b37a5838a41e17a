// The public API the CLI and panel call: listFrameworks, suggestFix (Fix shape), guessFramework.
import { describe, expect, it } from 'vitest';
import { guessFramework, listFrameworks, suggestFix } from '../../../src/suggest/index';
import { PAGE, browserRequest } from '../../support/requests';
import { blocked, goldenScenarios, item, notCors } from './fixtures';

describe('listFrameworks', () => {
  it('lists every required framework once, with label, target version and language', () => {
    const ids = listFrameworks().map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'fastapi',
        'starlette',
        'flask-cors',
        'django',
        'express',
        'fastify',
        'hono',
        'koa',
        'nestjs',
        'nextjs',
        'nginx',
        'apache',
        'caddy',
        'go-rs-cors',
        'go-net-http',
        'spring-boot',
        'aspnet-core',
        'rails',
        'laravel',
        'aws-s3',
        'aws-api-gateway',
        'cloudflare-workers',
        'raw-headers',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of listFrameworks()) expect(f.label && f.targetVersion && f.language).toBeTruthy();
  });
});

describe('suggestFix', () => {
  it('unknown framework id → throws, naming the known ones', () => {
    expect(() => suggestFix([], 'cobol')).toThrow(/unknown framework "cobol".*express/);
  });

  it('per-origin fix carries the exact preflight and actual headers, the config and the notes', () => {
    const fixes = suggestFix(goldenScenarios().multi, 'express');
    expect(fixes.perRequest.map((f) => f.requestIds)).toEqual([['m1'], ['m2'], ['m3']]);
    const f = fixes.perOrigin[0];
    expect(f.targetOrigin).toBe('https://api.example.com');
    expect(f.requestIds).toEqual(['m1', 'm2', 'm3']);
    const pre = Object.fromEntries(f.responseHeaders.preflight.map((h) => [h.name, h.value]));
    expect(pre).toEqual({
      'Access-Control-Allow-Origin': PAGE,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'DELETE, PATCH',
      'Access-Control-Allow-Headers': 'authorization, content-type, x-api-key',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    });
    const act = Object.fromEntries(f.responseHeaders.actual.map((h) => [h.name, h.value]));
    expect(act).toEqual({
      'Access-Control-Allow-Origin': PAGE,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'x-request-id, x-total-count',
      Vary: 'Origin',
    });
    expect(f.config.framework).toBe('express');
    expect(f.config.filename).toBe('server.js');
    expect(f.notes.join('\n')).toMatch(/never `\*`/);
    expect(f.notes.join('\n')).toMatch(/error responses too/);
    expect(f.notes.join('\n')).toMatch(/one of http:\/\/localhost:5173, https:\/\/admin\.example\.com/);
  });

  it('a simple GET needs no preflight headers at all', () => {
    const f = suggestFix(
      [item(browserRequest(), blocked('MissingAllowOriginHeader', { stage: 'response' }))],
      'raw-headers',
    ).perOrigin[0];
    expect(f.responseHeaders.preflight).toEqual([]);
    expect(f.responseHeaders.actual).toEqual([
      { name: 'Access-Control-Allow-Origin', value: PAGE },
      { name: 'Vary', value: 'Origin' },
    ]);
  });

  it('client-only failures come back as advice, with no fix', () => {
    const r = suggestFix([item(browserRequest(), notCors('no-cors'))], 'nginx');
    expect(r.perOrigin).toEqual([]);
    expect(r.clientSideAdvice.map((a) => a.code)).toEqual(['no-cors-opaque']);
  });
});

describe('guessFramework', () => {
  const h = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
  const cases: [string, [string, string][], string | null][] = [
    ['Server: uvicorn → fastapi', [['server', 'uvicorn']], 'fastapi'],
    ['X-Powered-By: Express → express', [['X-Powered-By', 'Express']], 'express'],
    ['Server: nginx/1.22.1 → nginx', [['Server', 'nginx/1.22.1']], 'nginx'],
    ['Server: Apache/2.4.62 (Debian) → apache', [['Server', 'Apache/2.4.62 (Debian)']], 'apache'],
    ['Server: Caddy → caddy', [['Server', 'Caddy']], 'caddy'],
    ['Server: Kestrel → aspnet-core', [['Server', 'Kestrel']], 'aspnet-core'],
    ['Server: Werkzeug/2.2.2 Python/3.11.2 → flask-cors', [['Server', 'Werkzeug/2.2.2 Python/3.11.2']], 'flask-cors'],
    ['Server: WSGIServer/0.2 CPython/3.11.2 → django', [['Server', 'WSGIServer/0.2 CPython/3.11.2']], 'django'],
    ['Server: Puma → rails', [['Server', 'Puma 5.6.5']], 'rails'],
    ['Server: AmazonS3 → aws-s3', [['Server', 'AmazonS3']], 'aws-s3'],
    ['X-Powered-By: Next.js → nextjs', [['x-powered-by', 'Next.js']], 'nextjs'],
    ['no telltale header → null', [['Content-Type', 'text/plain']], null],
  ];
  for (const [name, headers, id] of cases) {
    it(name, () => expect(guessFramework(h(headers))?.id ?? null).toBe(id));
  }
  it('nginx in front of Express → express (the app), nginx also seen', () => {
    expect(
      guessFramework(
        h([
          ['Server', 'nginx'],
          ['X-Powered-By', 'Express'],
        ]),
      ),
    ).toEqual({ id: 'express', because: 'X-Powered-By: Express', alsoSeen: ['nginx'] });
  });
});
