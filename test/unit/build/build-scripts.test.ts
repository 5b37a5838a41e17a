// Every npm script that builds the extension must produce the real extension: the manifest crxjs writes has no
// content scripts (vite.config.ts leaves them out of its input), so each build path must put them back.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const SOURCE = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function expectRealExtension(outDir: string, target: 'chrome' | 'firefox'): void {
  const m = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
  expect(m.content_scripts).toEqual(SOURCE.content_scripts);
  for (const cs of m.content_scripts) for (const js of cs.js) expect(existsSync(join(outDir, js)), js).toBe(true);
  if (target === 'chrome') expect(m.background.service_worker).toBeTruthy();
  else expect(m.background.scripts?.[0]).toBeTruthy();
}

function withOutDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-build-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('npm build scripts', () => {
  for (const target of ['chrome', 'firefox'] as const) {
    it(`build:${target} writes a manifest with the content scripts`, () => {
      withOutDir((dir) => {
        const r = spawnSync(NPM, ['run', '--silent', `build:${target}`, '--', '--logLevel', 'warn'], {
          cwd: ROOT,
          env: { ...process.env, CORS_LENS_OUT_DIR: dir },
          encoding: 'utf8',
        });
        expect(r.status, r.stderr).toBe(0);
        expectRealExtension(dir, target);
      });
    }, 240_000);
  }

  it('watch:firefox writes a manifest with the content scripts on its first build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cors-lens-build-'));
    const child = spawn(NPM, ['run', '--silent', 'watch:firefox'], {
      cwd: ROOT,
      env: { ...process.env, CORS_LENS_OUT_DIR: dir },
      detached: true,
      stdio: 'ignore',
    });
    try {
      const manifest = join(dir, 'manifest.json');
      const deadline = Date.now() + 200_000;
      // The plugin rewrites the manifest right after crxjs writes it; wait until the rewrite is there.
      while (Date.now() < deadline) {
        if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes('content_scripts')) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expectRealExtension(dir, 'firefox');
    } finally {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
