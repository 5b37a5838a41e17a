// bin.mjs runs the CLI from a prebuilt esbuild bundle (src/cli/bundle.mjs) when it can, else through tsx: both must
// behave the same, and the bundle must know which sources it was built from (so an edit rebuilds it).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT } from './run-cli';

const FIX = join(ROOT, 'test/unit/cli/fixtures');

describe('prebuilt CLI bundle', () => {
  it('gives the same output, exit code and version as the tsx path', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const args of [
      ['explain', join(FIX, 'chrome-devtools.har'), '--json'],
      ['explain', join(FIX, 'firefox.har')],
      ['--version'],
      ['explain', join(FIX, 'nope.har')],
    ]) {
      const bundled = await cli(args);
      const tsx = await cli(args, { CORS_LENS_NO_BUNDLE: '1' });
      expect(bundled).toEqual(tsx);
      if (args[0] === '--version') expect(bundled.stdout.trim()).toBe(pkg.version);
    }
  }, 120_000);

  it('records its inputs, the engine and the CLI among them', async () => {
    const { freshBundle, BUNDLE, WORKER_BUNDLE } = await import('../../../src/cli/bundle.mjs');
    expect(await freshBundle()).toBe(BUNDLE);
    const inputs: string[] = JSON.parse(readFileSync(`${BUNDLE}.inputs.json`, 'utf8'));
    expect(inputs).toEqual(
      expect.arrayContaining([
        'src/cli/main.ts',
        'src/engine/index.ts',
        'src/har/stream.ts',
        'src/report/build.ts',
        'src/cli/har-thread-worker.ts',
      ]),
    );
    // The scan thread's own bundle sits next to the CLI's (src/cli/har-thread.ts looks for it there), without the engine.
    const worker = readFileSync(WORKER_BUNDLE, 'utf8');
    expect(worker).toContain('rawText');
    expect(worker).not.toContain('function evaluate(');
  }, 60_000);
});
