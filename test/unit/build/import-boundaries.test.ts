// The import boundaries in eslint.config.js: the core folders are entered through their index.ts (the engine also
// through engine/types), and imports point down the layers engine ← capture, suggest ← report ← har ← cli, extension.
// Each case lints a short snippet as if it were a new file at the given path (ESLint's lintText with filePath: the
// file need not exist, and the repository's config applies to it).
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries (no-restricted-imports)', () => {
  it('rejects a deep import into the engine from another core folder', async () => {
    const errors = await boundaryErrors(
      'src/report/boundary-probe.ts',
      "import { parseUrl } from '../engine/origin';\nexport const p = parseUrl;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/Import src\/engine through its index\.ts/)]);
  });

  it('rejects a deep import into capture and har from the extension', async () => {
    const errors = await boundaryErrors(
      'extension/panel/boundary-probe.ts',
      [
        "import { originOf } from '../../src/capture/url-origin';",
        "import type { HarScanEvent } from '../../src/har/stream';",
        'export const o: [unknown, HarScanEvent?] = [originOf];',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([
      expect.stringMatching(/Import src\/capture through its index\.ts/),
      expect.stringMatching(/Import src\/har through its index\.ts/),
    ]);
  });

  it('rejects imports running up the layers', async () => {
    expect(await boundaryErrors('src/engine/boundary-probe.ts', "export { buildReport } from '../report';\n")).toEqual([
      expect.stringMatching(/engine may not import report/),
    ]);
    expect(await boundaryErrors('src/har/boundary-probe.ts', "import '../../extension/platform/browser';\n")).toEqual([
      expect.stringMatching(/har may not import extension/),
    ]);
    expect(await boundaryErrors('src/capture/boundary-probe.ts', "export * from '../cli/utf8';\n")).toEqual([
      expect.stringMatching(/capture may not import cli/),
    ]);
  });

  it('accepts the public entries and imports inside a folder', async () => {
    expect(
      await boundaryErrors(
        'src/report/boundary-probe.ts',
        [
          "import type { Verdict } from '../engine/types';",
          "import { evaluate } from '../engine';",
          "import { summaryOf } from './build';",
          'export const x: [unknown, unknown, Verdict?] = [evaluate, summaryOf];',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'extension/panel/boundary-probe.ts',
        [
          "import { originOf } from '../../src/capture';",
          "import { importHar } from '../../src/har';",
          'export const x = [originOf, importHar];',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});
