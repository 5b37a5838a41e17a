// Every renderer's output for every policy variant passes the strongest available syntax check, and the
// Cloudflare Worker snippet is executed for real (Node 20 has Request/Response/Headers).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../../src/suggest/frameworks/index';
import { missingDebianPackages, skipUnlessCI } from '../../support/prerequisites';
import { checkSnippets, CHECKER_PACKAGES, type Snippet } from './syntax-check';
import { basePolicy, variantPolicies } from './variants';

describe('rendered configs are syntactically valid', () => {
  const variants = variantPolicies();
  const snippets: Snippet[] = [];
  for (const fw of FRAMEWORKS) {
    for (const [name, policy] of Object.entries(variants)) {
      snippets.push({ id: `${fw.id}--${name}`, framework: fw.id, language: fw.language, code: fw.render(policy).code });
    }
  }
  let results: Map<string, string[]>;
  let missingPrerequisite: string | null = null;

  beforeAll(() => {
    const missing = missingDebianPackages(CHECKER_PACKAGES);
    if (missing.length) missingPrerequisite = `missing Debian packages ${missing.join(' ')}: run npm run setup as root`;
    else results = checkSnippets(snippets);
  }, 900_000);

  for (const s of snippets) {
    it(`${s.framework} (${s.language}) — ${s.id.split('--')[1]}`, (ctx) => {
      if (missingPrerequisite) skipUnlessCI(ctx, missingPrerequisite);
      expect(results.get(s.id), s.code).toEqual([]);
    });
  }

  it('the checkers are not blind: a broken snippet fails in every language', (ctx) => {
    if (missingPrerequisite) skipUnlessCI(ctx, missingPrerequisite);
    const broken: Snippet[] = FRAMEWORKS.map((fw) => {
      const code = fw.render(variants.multi).code;
      // Drop the last closing delimiter / quote: every language must notice.
      const cut = code.lastIndexOf(
        fw.language === 'json'
          ? '}'
          : fw.language === 'http'
            ? ':'
            : fw.language === 'apache'
              ? '"'
              : fw.language === 'python' || fw.language === 'php' || fw.language === 'ruby'
                ? ']'
                : '}',
      );
      // Apache tolerates an unclosed quote at the end of a line, so misspell a directive there instead.
      const bad =
        fw.language === 'ruby'
          ? code.replace(/\nend\n$/, '\n')
          : fw.language === 'apache'
            ? code.replace(/Header always set (?![\s\S]*Header always set)/, 'Header alwayz set ')
            : code.slice(0, cut) + code.slice(cut + 1);
      return { id: `broken-${fw.id}`, framework: fw.id, language: fw.language, code: bad };
    });
    const res = checkSnippets(broken);
    for (const b of broken)
      expect(res.get(b.id)?.length, `${b.framework} accepted broken code:\n${b.code}`).toBeGreaterThan(0);
  }, 600_000); // external tools (javac, go build, apache2…) on a loaded 2-core machine
});

describe('cloudflare-workers snippet runs', () => {
  it('answers an allowed preflight 204 with the policy, refuses other origins, decorates actual responses', async () => {
    const fw = FRAMEWORKS.find((f) => f.id === 'cloudflare-workers')!;
    const policy = basePolicy({
      allowOrigins: ['http://localhost:5173', 'https://b.example'],
      methods: ['PUT'],
      requestHeaders: ['x-custom'],
      exposeHeaders: ['x-total-count'],
      credentials: true,
      preflight: true,
    });
    const dir = mkdtempSync(join(tmpdir(), 'cors-lens-worker-'));
    const file = join(dir, 'worker.mjs');
    writeFileSync(file, fw.render(policy).code);
    const worker = (await import(pathToFileURL(file).href)).default as { fetch: (r: Request) => Promise<Response> };

    const pre = await worker.fetch(
      new Request('http://api.test/x', {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://b.example',
          'Access-Control-Request-Method': 'PUT',
          'Access-Control-Request-Headers': 'x-custom',
        },
      }),
    );
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect(pre.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(pre.headers.get('access-control-allow-headers')).toBe('x-custom');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('vary')).toBe('Origin');

    const evil = await worker.fetch(
      new Request('http://api.test/x', {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' },
      }),
    );
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();

    const get = await worker.fetch(new Request('http://api.test/x', { headers: { Origin: 'http://localhost:5173' } }));
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(get.headers.get('access-control-expose-headers')).toBe('x-total-count');
    expect(await get.text()).toBe('ok');
  }, 60_000);
});
