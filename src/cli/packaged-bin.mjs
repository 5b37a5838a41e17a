// The npm package's `cors-lens` executable (package.json `bin` → dist/cli/bin.mjs, bundled from this file by
// bundle.mjs): the CLI bundle next to it is all it runs — no TypeScript, no dependencies.
import { launch } from './launch.mjs';

await launch(() => import('./cors-lens.mjs'));
