// The real `cors-lens` binary run as a child process on hand-written fixtures and generated hostile input:
// exit codes (0 nothing blocked, 1 blocked, 2 bad input), output shapes, one-line errors without stack traces.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { cli, ROOT, type Run } from './run-cli';
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  truncateSync,
  openSync,
  closeSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const FIX = join(__dirname, 'fixtures');
const T = 120_000;

/** A bad-input run: status 2, nothing on stdout, exactly one `cors-lens: …` line on stderr, no stack trace. */
function expectOneLineError(r: Run, pattern?: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(lines[0]).toMatch(/^cors-lens: /);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
  if (pattern) expect(lines[0]).toMatch(pattern);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (r: Run) => JSON.parse(r.stdout);

describe('cors-lens explain on a Chrome DevTools export', () => {
  it(
    '--json: one diagnosis per logical request, Chromium reason names, exit 1',
    async () => {
      const r = await cli(['explain', join(FIX, 'chrome-devtools.har'), '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      const d = json(r).diagnoses;
      expect(d.map((x: any) => [x.method, x.url, x.verdict, x.reason, x.failedParameter])).toEqual([
        ['GET', 'http://app.localhost:8101/', 'not-cors', null, null],
        ['GET', 'http://api.localhost:8102/data', 'allowed', null, null],
        ['PUT', 'http://api.localhost:8102/items/1', 'blocked', 'HeaderDisallowedByPreflightResponse', 'x-api-key'],
        ['GET', 'http://api.localhost:8102/no-cors-headers', 'blocked', 'MissingAllowOriginHeader', ''],
      ]);
      expect(json(r).counts.blocked).toBe(2);
      expect(d[2].preflight).toBe('sent');
    },
    T,
  );

  it(
    '--browser firefox gives Firefox reason keys',
    async () => {
      const r = await cli(['explain', join(FIX, 'chrome-devtools.har'), '--json', '--browser', 'firefox']);
      expect(r.code).toBe(1);
      const d = json(r).diagnoses;
      expect(d[2].reason).toBe('CORSMissingAllowHeaderFromPreflight');
      expect(d[3].reason).toBe('CORSMissingAllowOrigin');
    },
    T,
  );

  it(
    'the table names the reason in plain words, without colours when not a TTY',
    async () => {
      const r = await cli(['explain', join(FIX, 'chrome-devtools.har')]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^VERDICT\s+METHOD\s+STATUS\s+URL\s+REASON/);
      expect(r.stdout).toContain('preflight rejected header x-api-key');
      expect(r.stdout).toContain('4 requests: 1 allowed, 2 blocked, 1 not cors');
      expect(r.stdout).not.toContain('\x1b');
    },
    T,
  );

  it(
    '--format markdown is a bug-ticket report',
    async () => {
      const r = await cli(['explain', join(FIX, 'chrome-devtools.har'), '--format', 'markdown']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^## CORS Lens report/);
      expect(r.stdout).toContain('`HeaderDisallowedByPreflightResponse`');
      expect(r.stdout).toContain('| Verdict | Method | Status | URL | Reason |');
    },
    T,
  );

  it(
    'gives the same diagnoses through the streaming path',
    async () => {
      const a = await cli(['explain', join(FIX, 'chrome-devtools.har'), '--json']);
      const b = await cli(['explain', join(FIX, 'chrome-devtools.har'), '--json'], { CORS_LENS_STREAM_THRESHOLD: '0' });
      expect(b.code).toBe(a.code);
      expect(json(b).diagnoses).toEqual(json(a).diagnoses);
    },
    T,
  );

  it(
    'reads the HAR from standard input with -',
    async () => {
      const a = await cli(['explain', join(FIX, 'chrome-devtools.har'), '--json']);
      const b = await cli(['explain', '-', '--json'], {}, readFileSync(join(FIX, 'chrome-devtools.har')));
      expect(b.code).toBe(1);
      expect(json(b).diagnoses).toEqual(json(a).diagnoses);
      expectOneLineError(
        await cli(['explain', '-'], {}, gzipSync(readFileSync(join(FIX, 'chrome-devtools.har')))),
        /standard input: .*gzip/,
      );
    },
    T,
  );

  it(
    '--framework express adds the fix for the blocked origin',
    async () => {
      const r = await cli(['explain', join(FIX, 'chrome-devtools.har'), '--json', '--framework', 'express']);
      expect(r.code).toBe(1);
      const fixes = json(r).fixes;
      expect(fixes.perOrigin.map((f: any) => f.targetOrigin)).toEqual(['http://api.localhost:8102']);
      expect(fixes.perOrigin[0].config.framework).toBe('express');
      expect(fixes.perOrigin[0].config.code).toContain('x-api-key');
      const md = await cli([
        'explain',
        join(FIX, 'chrome-devtools.har'),
        '--format',
        'markdown',
        '--framework',
        'nginx',
      ]);
      expect(md.code).toBe(1);
      expect(md.stdout).toMatch(
        /### Fix for `http:\/\/api\.localhost:8102` \(nginx\)\n[\s\S]*\n```\n[\s\S]*x-api-key[\s\S]*\n```\n/,
      );
    },
    T,
  );
});

describe('cors-lens explain on other producers', () => {
  it(
    'exits 0 when nothing is blocked',
    async () => {
      const r = await cli(['explain', join(FIX, 'allowed-only.har'), '--json']);
      expect(r.code).toBe(0);
      expect(json(r).diagnoses.map((d: any) => d.verdict)).toEqual(['allowed', 'not-cors']);
    },
    T,
  );

  it(
    'Firefox export: preflight folded, hidden response headers reported',
    async () => {
      const r = await cli(['explain', join(FIX, 'firefox.har'), '--json']);
      expect(r.code).toBe(0);
      const d = json(r).diagnoses;
      expect(d.map((x: any) => [x.method, x.verdict, x.preflight])).toEqual([
        ['POST', 'allowed', 'sent'],
        ['GET', 'allowed-hidden-headers', 'not-needed'],
      ]);
      expect(d[1].hiddenHeaders).toEqual(['x-total-count']);
    },
    T,
  );

  it(
    'proxy capture: duplicate ACAO is blocked even though the proxy saw a 200; bad entries are warnings',
    async () => {
      const r = await cli(['explain', join(FIX, 'proxy.har'), '--json']);
      expect(r.code).toBe(1);
      const out = json(r);
      expect(out.diagnoses.map((x: any) => x.reason)).toEqual(['MultipleAllowOriginValues', null, null]);
      expect(out.warnings.map((w: any) => w.index)).toEqual([3, 4]);
    },
    T,
  );

  it(
    'our recording: redirect hops are one request',
    async () => {
      const r = await cli(['explain', join(FIX, 'recording-redirect.har'), '--json']);
      expect(r.code).toBe(0);
      expect(json(r).diagnoses).toHaveLength(1);
      expect(json(r).diagnoses[0]).toMatchObject({ id: 'r1', verdict: 'allowed' });
    },
    T,
  );

  it(
    '--origin supplies the page origin a HAR does not name',
    async () => {
      const har = {
        log: {
          version: '1.2',
          entries: [
            {
              startedDateTime: '2026-01-01T00:00:00Z',
              time: 1,
              _resourceType: 'fetch',
              request: { method: 'GET', url: 'https://api.x.test/a' },
              response: {
                status: 200,
                headers: [{ name: 'Access-Control-Allow-Origin', value: 'https://other.test' }],
                _error: 'net::ERR_FAILED',
              },
            },
          ],
        },
      };
      const f = join(dir, 'no-origin.har');
      writeFileSync(f, JSON.stringify(har));
      const r = await cli(['explain', f, '--json', '--origin', 'https://page.test']);
      expect(json(r).diagnoses[0]).toMatchObject({
        initiator: 'https://page.test',
        verdict: 'blocked',
        reason: 'AllowOriginMismatch',
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      const without = await cli(['explain', f, '--json']);
      expect(json(without).diagnoses[0].initiator).toBeNull();
      expect(without.stderr).toMatch(/^cors-lens: hint: .*1 request; pass --origin/);
    },
    T,
  );
});

describe('hostile values from servers', () => {
  it(
    'strips escapes and bidi overrides from the table and never crashes on 1 MB values',
    async () => {
      const evil = '\x1b[2J\x1b]0;pwned\x07https://evil.test\u202egnp.exe\u2066';
      const huge = 'x'.repeat(1024 * 1024);
      const har = {
        log: {
          version: '1.2',
          entries: [
            {
              startedDateTime: '2026-01-01T00:00:00Z',
              time: 1,
              _resourceType: 'fetch',
              request: {
                method: 'GET',
                url: `https://api.x.test/${'a'.repeat(5000)}?q=\u202e`,
                headers: [{ name: 'Origin', value: 'https://page.test' }],
              },
              response: {
                status: 200,
                headers: [
                  { name: 'Access-Control-Allow-Origin', value: evil },
                  { name: 'X-Big', value: huge },
                ],
                _error: 'net::ERR_FAILED',
              },
            },
            {
              startedDateTime: '2026-01-01T00:00:00Z',
              time: 1,
              _resourceType: 'fetch',
              request: {
                method: 'GET',
                url: 'https://api.x.test/b',
                headers: [{ name: 'Origin', value: 'https://page.test' }],
              },
              response: {
                status: 200,
                headers: [{ name: 'Access-Control-Allow-Origin', value: `https://${huge}.test` }],
                _error: 'net::ERR_FAILED',
              },
            },
          ],
        },
      };
      const f = join(dir, 'hostile.har');
      writeFileSync(f, JSON.stringify(har));
      for (const format of ['table', 'markdown']) {
        const r = await cli(['explain', f, '--format', format]);
        expect(r.code).toBe(1);
        // eslint-disable-next-line no-control-regex
        expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]/);
        expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThan(5000);
      }
      const j = await cli(['explain', f, '--json']);
      expect(json(j).diagnoses[0].reason).toBe('InvalidAllowOriginValue');
      expect(j.stdout).not.toContain('\u202e');
    },
    T,
  );
});

describe('bad input: exit 2 with one line on stderr', () => {
  const write = (name: string, content: string | Buffer) => {
    const f = join(dir, name);
    writeFileSync(f, content);
    return f;
  };
  const chrome = readFileSync(join(FIX, 'chrome-devtools.har'));

  it.each([
    ['not JSON', () => write('text.har', 'hello, I am not JSON\n'), /not a HAR file|not valid JSON/],
    ['JSON that is not a HAR', () => write('array.har', '[1,2,3]'), /not a HAR/],
    ['a HAR without log.entries', () => write('nolog.har', '{"log":{"version":"1.2"}}'), /log\.entries/],
    ['wrong types', () => write('types.har', '{"log":{"entries":"many"}}'), /log\.entries/],
    [
      'entries all unusable',
      () => write('unusable.har', '{"log":{"entries":[1,{"request":{}},null]}}'),
      /none of the 3 entries/,
    ],
    [
      'a truncated export',
      () => write('truncated.har', chrome.subarray(0, Math.floor(chrome.length / 2))),
      /truncated|ends early/,
    ],
    ['an empty file', () => write('empty.har', ''), /empty/],
    [
      'binary garbage',
      () => write('garbage.har', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))),
      /not a HAR|binary/,
    ],
    ['a gzipped HAR', () => write('gz.har', gzipSync(chrome)), /gzip/],
    [
      'a UTF-16 HAR',
      () =>
        write('utf16.har', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(chrome.toString('utf8'), 'utf16le')])),
      /UTF-16/,
    ],
    [
      'deeply nested garbage',
      () => write('deep.har', `{"log":{"entries":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}}`),
      /none of the 1 entries/,
    ],
    ['a missing file', () => join(dir, 'does-not-exist.har'), /no such file/],
    [
      'a directory',
      () => {
        const d = join(dir, 'a-directory.har');
        mkdirSync(d, { recursive: true });
        return d;
      },
      /directory/,
    ],
  ])(
    '%s',
    async (_name, make, pattern) => {
      expectOneLineError(await cli(['explain', make(), '--json']), pattern);
    },
    T,
  );

  it.each([
    ['truncated', (s: string) => s.slice(0, s.length - 10)],
    ['garbage appended', (s: string) => s + '\u0000\u0001garbage'],
    ['not a HAR', () => '{"foo":' + '1,'.repeat(1000) + '2}'],
  ])(
    'the streaming path rejects %s input the same way',
    async (_name, mutate) => {
      const f = write('stream-bad.har', mutate(chrome.toString('utf8')));
      expectOneLineError(await cli(['explain', f, '--json'], { CORS_LENS_STREAM_THRESHOLD: '0' }));
    },
    T,
  );

  it(
    'a 2 GB file of zeros is rejected at once by the streaming path',
    async () => {
      const f = join(dir, 'huge.har');
      closeSync(openSync(f, 'w'));
      truncateSync(f, 2 * 1024 ** 3); // sparse: costs no disk
      expectOneLineError(await cli(['explain', f]), /binary|not a HAR/);
      rmSync(f);
    },
    T,
  );

  it.each([
    [['explain'], /needs a HAR file/],
    [['explain', 'a.har', 'b.har'], /exactly one/],
    [['explain', 'x.har', '--browser', 'safari'], /--browser/],
    [['explain', 'x.har', '--format', 'xml'], /--format/],
    [['explain', 'x.har', '--origin', 'not an origin'], /--origin/],
    [['explain', 'x.har', '--frobnicate'], /frobnicate/],
    [['explain', join(FIX, 'chrome-devtools.har'), '--framework', 'cobol-on-cogs'], /unknown framework/],
    [['dance'], /unknown command/],
    [[], /missing command/],
  ])(
    'usage error %j',
    async (args, pattern) => {
      expectOneLineError(await cli(args as string[]), pattern);
    },
    T,
  );
});

describe('help and version', () => {
  it(
    '--help prints usage and exits 0',
    async () => {
      const r = await cli(['--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('cors-lens explain <file.har>');
    },
    T,
  );
  it(
    '--version prints the package version',
    async () => {
      const r = await cli(['--version']);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    },
    T,
  );
  it(
    'frameworks lists the fix generators',
    async () => {
      const r = await cli(['frameworks']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^express\s/m);
    },
    T,
  );
});
