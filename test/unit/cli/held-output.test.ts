// The CLI holds its output until the input has been fully read; past a budget it spills to a temporary file.
// Each test spills into a directory of its own: counting files in the shared temporary directory would see other
// processes' spills.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeldOutput } from '../../../src/cli/held-output';

async function collect(h: HeldOutput): Promise<string> {
  const out = new PassThrough();
  let s = '';
  out.on('data', (d) => (s += d));
  await h.flushTo(out);
  out.end();
  return s;
}
let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cors-lens-held-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));
const spills = () => readdirSync(root).filter((f) => f.startsWith('cors-lens-out-')).length;

describe('HeldOutput', () => {
  it('gives back everything in order, in memory or spilled to disk, and cleans up', async () => {
    for (const budget of [1 << 20, 100]) {
      const before = spills();
      const h = new HeldOutput(budget, root);
      const parts = Array.from({ length: 500 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}\n`);
      for (const p of parts) await h.push(p);
      if (budget === 100) expect(spills()).toBe(before + 1);
      expect(await collect(h)).toBe(parts.join(''));
      await h.discard();
      expect(spills()).toBe(before);
    }
  });
  it('discard drops held output without writing it', async () => {
    const before = spills();
    const h = new HeldOutput(10, root);
    for (let i = 0; i < 50; i++) await h.push('xxxxxxxx');
    expect(spills()).toBe(before + 1);
    await h.discard();
    expect(spills()).toBe(before);
    expect(await collect(h)).toBe('');
  });
});
