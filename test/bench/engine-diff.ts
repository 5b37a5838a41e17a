// `node --import tsx test/bench/engine-diff.ts <dir>`: compares another copy of the engine (`<dir>/index.ts`) with
// src/engine, verdict and messages as JSON, over every recorded oracle request and four variants of each (hints
// dropped, initiator dropped, outcome completed, outcome failed), both browsers. For changes that must not alter any
// verdict (refactoring, speed). Not a test: it prints the first differences and exits 1 when there are any.
// The copy must live inside the repository (tsx compiles `.ts` outside a `"type": "module"` package as CommonJS):
//   git archive <commit> src/engine | tar -x -C .old && node --import tsx test/bench/engine-diff.ts .old/src/engine
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../../src/engine/index.ts';
import type { BrowserName, ObservedRequest } from '../../src/engine/types.ts';
import { importHar } from '../../src/har/import.ts';

type Engine = Pick<typeof current, 'evaluate' | 'messagesFor'>;

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node --import tsx test/bench/engine-diff.ts <directory holding the other engine's index.ts>");
  process.exit(2);
}
const other: Engine = await import(pathToFileURL(resolve(dir, 'index.ts')).href);
const ROOT = join(import.meta.dirname, '../oracle/recordings');

function variants(req: ObservedRequest): [string, ObservedRequest][] {
  return [
    ['as recorded', req],
    ['no hints', { ...req, hints: undefined }],
    ['no initiator', { ...req, hints: undefined, initiator: null }],
    ['completed', { ...req, outcome: { kind: 'completed', status: 200 } }],
    ['failed', { ...req, hints: undefined, outcome: { kind: 'error', error: 'net::ERR_FAILED' } }],
  ];
}

const json = (e: Engine, req: ObservedRequest, browser: BrowserName) => {
  // Each engine gets its own copy: an engine must not depend on, or leave, marks on its input.
  const v = e.evaluate(structuredClone(req), { browser });
  return JSON.stringify(v) + JSON.stringify(e.messagesFor(structuredClone(req), v));
};

let compared = 0;
let differing = 0;
for (const recorded of ['chromium', 'firefox']) {
  for (const file of readdirSync(join(ROOT, recorded))
    .filter((f) => f.endsWith('.har'))
    .sort()) {
    for (const req of importHar(readFileSync(join(ROOT, recorded, file), 'utf8')).requests) {
      for (const [label, variant] of variants(req)) {
        for (const browser of ['chromium', 'firefox'] as const) {
          compared++;
          const a = json(other, variant, browser);
          const b = json(current, variant, browser);
          if (a === b) continue;
          if (++differing <= 5)
            console.log(`${recorded}/${file} ${req.id} (${label}, ${browser}):\n  other:   ${a}\n  current: ${b}`);
        }
      }
    }
  }
}
console.log(`${compared} verdicts compared, ${differing} differ`);
process.exit(differing ? 1 : 0);
