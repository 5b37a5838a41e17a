// The pure core (src/engine, capture, har, report, suggest) compiles under tsconfig.core.json without the DOM and
// Node type libraries, so a browser or Node API there is a compile error. This copies the core and both tsconfigs
// into a temporary tree, adds probe files to src/engine that reach for `document`, `chrome`, `node:fs`, `Buffer` and
// `process`, and expects tsc to reject exactly those lines — while the real core in the same run compiles clean.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const COPIED = [
  'tsconfig.json',
  'tsconfig.core.json',
  'src/core-globals.d.ts',
  'src/engine',
  'src/capture',
  'src/har',
  'src/report',
  'src/suggest',
];

const PROBES: Record<string, string> = {
  'src/engine/probe-dom.ts': 'export const title = document.title;\nexport const id = chrome.runtime.id;\n',
  'src/engine/probe-node.ts': [
    "import { readFileSync } from 'node:fs';",
    "export const text = readFileSync('x', 'utf8');",
    "export const bytes = Buffer.from('x');",
    'export const env = process.env.HOME;',
    // The declared runtime-neutral globals stay usable.
    "export const origin = new URL('https://a.test/').origin;",
    '',
  ].join('\n'),
};

function compileCoreWithProbes(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-core-tsc-'));
  try {
    for (const p of COPIED) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
    for (const [p, text] of Object.entries(PROBES)) writeFileSync(join(dir, p), text);
    const r = spawnSync(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '-p', 'tsconfig.core.json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return r.stdout + r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tsconfig.core.json', () => {
  it('rejects DOM, extension and Node APIs in src/engine and nothing else in the core', () => {
    const out = compileCoreWithProbes();
    const errors = out
      .split('\n')
      .filter((l) => /error TS\d+/.test(l))
      .map((l) => l.replace(/\\/g, '/'));
    expect(
      errors.filter((l) => !l.startsWith('src/engine/probe-')),
      out,
    ).toEqual([]);
    const at = (file: string, line: number) => errors.filter((l) => l.startsWith(`${file}(${line},`));
    expect(at('src/engine/probe-dom.ts', 1).join('\n')).toMatch(/Cannot find name 'document'/);
    expect(at('src/engine/probe-dom.ts', 2).join('\n')).toMatch(/Cannot find name 'chrome'/);
    expect(at('src/engine/probe-node.ts', 1).join('\n')).toMatch(/Cannot find module 'node:fs'/);
    expect(at('src/engine/probe-node.ts', 3).join('\n')).toMatch(/Cannot find name 'Buffer'/);
    expect(at('src/engine/probe-node.ts', 4).join('\n')).toMatch(/Cannot find name 'process'/);
    expect(at('src/engine/probe-node.ts', 5)).toEqual([]);
  }, 240_000);
});
