// The npm package is what a backend's CI installs: `npm pack` must give a package that installs into an empty
// directory with nothing else (no dev dependencies, no TypeScript at run time) and whose `npx cors-lens` runs
// `explain` and `probe` from the built bundle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ROOT } from './run-cli';

const NPM = 'npm';
let dir = '';
let app = '';
let server: Server;
let api = '';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npx cors-lens …` in the app (asynchronous: the probe's server answers from this process). */
function npx(args: string[]): Promise<Run> {
  // --offline: the package has no dependencies, so nothing may need the registry; --no: only what is installed.
  return new Promise((done) => {
    execFile(
      NPM,
      ['exec', '--offline', '--no', '--', 'cors-lens', ...args],
      { cwd: app, encoding: 'utf8' },
      (err, stdout, stderr) => {
        done({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-pack-'));
  execFileSync(NPM, ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack wrote no tarball into ${dir}`);
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ci-job', private: true }));
  execFileSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', join(dir, tgz)], {
    cwd: app,
    encoding: 'utf8',
  });
  server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', 'https://app.example');
    if (req.method === 'OPTIONS') res.setHeader('Access-Control-Allow-Methods', 'GET');
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/items`;
}, 240_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm package', () => {
  it('installs with no dependencies and ships only the built CLI', () => {
    const installed = join(app, 'node_modules');
    expect(
      readdirSync(installed)
        .filter((n) => !n.startsWith('.'))
        .sort(),
    ).toEqual(['cors-lens']);
    const pkg = JSON.parse(readFileSync(join(installed, 'cors-lens/package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    const shipped = readdirSync(join(installed, 'cors-lens/dist/cli')).sort();
    expect(shipped).toEqual(['bin.mjs', 'cors-lens.mjs', 'har-thread-worker.mjs']);
  });

  it('npx cors-lens explain reads a HAR', async () => {
    const har = join(ROOT, 'test/unit/cli/fixtures/chrome-devtools.har');
    const r = await npx(['explain', har, '--json']);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.status);
    const report = JSON.parse(r.stdout);
    expect(report.total).toBeGreaterThan(0);
    expect(report.diagnoses.length).toBe(report.total);
    const version = await npx(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  }, 60_000);

  it('npx cors-lens probe asks a live server', async () => {
    const ok = await npx(['probe', api, '--origin', 'https://app.example', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).verdict).toBe('allowed');
    const blocked = await npx(['probe', api, '--origin', 'https://evil.example', '--json']);
    expect(blocked.status, blocked.stderr).toBe(1);
    expect(JSON.parse(blocked.stdout).reason).toBe('AllowOriginMismatch');
  }, 60_000);

  it('a bad argument is one line on stderr and exit 2', async () => {
    const r = await npx(['explain', join(app, 'missing.har')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
