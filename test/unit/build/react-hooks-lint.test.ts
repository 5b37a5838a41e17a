// eslint-plugin-react-hooks in eslint.config.js applies to the extension's components: a hook called conditionally,
// a missing effect dependency and a ref read during render are lint errors there. Each case lints a snippet as a new
// file at the given path (ESLint's lintText with filePath: the file need not exist).
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: ROOT });

async function hookErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return result.messages.filter((m) => m.severity === 2 && m.ruleId?.startsWith('react-hooks/')).map((m) => m.ruleId!);
}

const CONDITIONAL = [
  "import { useState } from 'react';",
  'export function Probe({ on }: { on: boolean }) {',
  '  if (on) { const [n] = useState(0); return <p>{n}</p>; }',
  '  return null;',
  '}',
  '',
].join('\n');
const MISSING_DEP = [
  "import { useEffect, useState } from 'react';",
  'export function Probe({ url }: { url: string }) {',
  '  const [n, setN] = useState(0);',
  '  useEffect(() => { const t = setTimeout(() => setN(url.length), 1); return () => clearTimeout(t); }, []);',
  '  return <p>{n}</p>;',
  '}',
  '',
].join('\n');
const REF_IN_RENDER = [
  "import { useRef } from 'react';",
  'export function Probe({ n }: { n: number }) {',
  '  const seen = useRef(0);',
  '  seen.current = Math.max(seen.current, n);',
  '  return <p>{seen.current}</p>;',
  '}',
  '',
].join('\n');

describe('react-hooks lint on extension/', () => {
  it('rejects a conditional hook, a missing effect dependency and a ref read during render', async () => {
    expect(await hookErrors('extension/panel/hooks-probe.tsx', CONDITIONAL)).toContain('react-hooks/rules-of-hooks');
    expect(await hookErrors('extension/popup/hooks-probe.tsx', MISSING_DEP)).toContain('react-hooks/exhaustive-deps');
    expect(await hookErrors('extension/ui/hooks-probe.tsx', REF_IN_RENDER)).toContain('react-hooks/refs');
  });

  it('accepts the same component written by the rules', async () => {
    const ok = MISSING_DEP.replace('}, []);', '}, [url]);');
    expect(await hookErrors('extension/panel/hooks-probe.tsx', ok)).toEqual([]);
  });
});
