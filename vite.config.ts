// One source, one manifest, two builds: `vite build --mode chrome` → dist/chrome (MV3 service worker),
// `vite build --mode firefox` → dist/firefox (MV3 background.scripts + gecko settings).
// The vitest projects (unit, e2e) live here too so there is one config to read.
import { defineConfig } from 'vitest/config';
import type { Plugin, UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { resolve } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

type Target = 'chrome' | 'firefox';

/** The manifest for one browser: each gets only the keys it understands (Chrome warns on gecko settings). */
export function manifestFor(target: Target): ManifestV3Export {
  const m = JSON.parse(readFileSync(resolve(import.meta.dirname, 'manifest.json'), 'utf8'));
  // The content scripts are plain JS in public/content/ (copied as is): crxjs would wrap them in a loader
  // that needs extension APIs the page's MAIN world lacks (crxjs #695) and would make our chunks
  // web-accessible to every site. The contentScripts() plugin below puts them back into every built manifest.
  delete m.content_scripts;
  if (target === 'chrome') {
    delete m.background.scripts;
    delete m.browser_specific_settings;
  } else {
    // Firefox MV3 has no service workers for extensions; it runs background.scripts as an event page.
    delete m.background.service_worker;
  }
  return m;
}

/**
 * Writes the source manifest's content scripts into the built manifest after crxjs has written it, on every build
 * path (`npm run build`, `build:chrome`, `build:firefox`, each rebuild of `watch:firefox`), and fails the build
 * when a script they name is missing from the output.
 */
function contentScripts(outDir: string): Plugin {
  return {
    name: 'cors-lens:content-scripts',
    apply: 'build',
    enforce: 'post',
    writeBundle() {
      const source = JSON.parse(readFileSync(resolve(import.meta.dirname, 'manifest.json'), 'utf8'));
      const path = resolve(outDir, 'manifest.json');
      const built = JSON.parse(readFileSync(path, 'utf8'));
      for (const cs of source.content_scripts ?? []) {
        for (const js of cs.js)
          if (!existsSync(resolve(outDir, js))) this.error(`${outDir}/${js} missing (content script)`);
      }
      built.content_scripts = source.content_scripts;
      writeFileSync(path, JSON.stringify(built, null, 2));
    },
  };
}

export default defineConfig(({ mode }): UserConfig => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  // CORS_LENS_OUT_DIR builds elsewhere (the build-scripts test builds each npm script into a temporary folder).
  const outDir = resolve(import.meta.dirname, process.env.CORS_LENS_OUT_DIR ?? `dist/${target}`);
  return {
    plugins: [react(), crx({ manifest: manifestFor(target), browser: target }), contentScripts(outDir)],
    build: {
      outDir,
      emptyOutDir: true,
      // The panel is only named in devtools.panels.create(); crxjs cannot see it, so list it here.
      rolldownOptions: {
        input: {
          panel: resolve(import.meta.dirname, 'extension/panel/index.html'),
          popup: resolve(import.meta.dirname, 'extension/popup/index.html'),
        },
      },
      sourcemap: false,
      minify: true,
    },
    test: {
      projects: [
        {
          test: {
            name: 'unit',
            include: ['test/unit/**/*.test.{ts,tsx}', 'test/oracle/**/*.test.ts'],
            environment: 'node',
            // Corpus-sized tests (every recording, every HAR of the corpus) take seconds on a shared 2-core machine:
            // a timeout here only catches a hang, never judges speed (that is `npm run bench`).
            testTimeout: 60_000,
          },
        },
        {
          plugins: [react()],
          test: {
            name: 'components',
            include: ['test/components/**/*.test.tsx'],
            environment: 'jsdom',
          },
        },
        {
          test: {
            name: 'e2e',
            include: ['test/e2e/**/*.test.ts'],
            environment: 'node',
            testTimeout: 180_000,
            hookTimeout: 180_000,
            fileParallelism: false,
            // Real browsers on shared 2-core machines: one retry absorbs a stray timeout; a test that fails twice
            // still fails the suite (and vitest reports the retry).
            retry: 1,
          },
        },
      ],
    },
  };
});
