// The e2e harness (test/e2e/harness/chromium.ts) resolves dist/ from `__dirname`, which vitest provides and plain
// ESM under tsx does not: define it (as the harness folder) before the harness module is evaluated.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

(globalThis as { __dirname?: string }).__dirname ??= resolve(dirname(fileURLToPath(import.meta.url)), '../e2e/harness');
