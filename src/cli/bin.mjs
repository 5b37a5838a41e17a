#!/usr/bin/env node
// `cors-lens` in a checkout (`npm run cli`): runs src/cli/main.ts from the prebuilt bundle (src/cli/bundle.mjs:
// dist/cli/cors-lens.mjs, rebuilt when a source changed), or, when it cannot be built, through tsx, which compiles the
// TypeScript sources at run time (a slower start-up). The installed npm package runs dist/cli/bin.mjs instead,
// which loads the bundle it ships with (packaged-bin.mjs).
import { fail, launch } from './launch.mjs';

async function loadMain() {
  try {
    const { freshBundle } = await import('./bundle.mjs');
    const bundle = await freshBundle();
    if (bundle) return await import(new URL(`file://${bundle}`).href);
  } catch {
    // fall back to tsx below
  }
  let api;
  try {
    api = await import('tsx/esm/api');
  } catch {
    fail('cannot load tsx (run npm install in the cors-lens directory)');
  }
  api.register();
  return import('./main.ts');
}

await launch(loadMain);
