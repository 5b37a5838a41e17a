// Bench "bundle": gzipped size of the JS+CSS each built page loads (panel, popup, devtools, worker) in dist/chrome,
// following the imports from each HTML entry and from the service-worker loader; and whether the worker bundles
// React (it must not: the worker wakes for every request, and React is ~60 KB of parse time for nothing).
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST_CHROME } from './chromium-kit.ts';
import { Reporter, main } from './lib.ts';

/** Every JS/CSS file reachable from `start` (a path inside dist/chrome), static imports followed. */
function closure(starts: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f) || !existsSync(join(DIST_CHROME, f))) continue;
    seen.add(f);
    if (!f.endsWith('.js')) continue;
    const src = readFileSync(join(DIST_CHROME, f), 'utf8');
    // Minified ESM: `import{a as b}from"./x.js"`, `import"./x.js"`, `export{…}from"./x.js"`, and Vite's
    // preload lists / CSS links as string literals of asset paths.
    const specs = new Set<string>();
    for (const m of src.matchAll(/(?:import|export)\s*(?:[^'"`;]*?from\s*)?["']([^"']+\.(?:js|css))["']/g))
      specs.add(m[1]);
    for (const m of src.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) specs.add(m[1]);
    for (const m of src.matchAll(/["'](assets\/[^"']+\.(?:js|css))["']/g)) specs.add(`/${m[1]}`);
    for (const s of specs) queue.push(resolveSpec(f, s));
  }
  return [...seen];
}

function resolveSpec(from: string, spec: string): string {
  if (spec.startsWith('/')) return spec.slice(1);
  return posix.normalize(posix.join(posix.dirname(from), spec));
}

function htmlEntries(html: string): string[] {
  const out: string[] = [];
  const src = readFileSync(join(DIST_CHROME, html), 'utf8');
  for (const m of src.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"[^>]*>/g)) {
    if (/\.(js|css)$/.test(m[1])) out.push(resolveSpec(html, m[1]));
  }
  return out;
}

const gz = (f: string) => gzipSync(readFileSync(join(DIST_CHROME, f)), { level: 9 }).length;
const raw = (f: string) => readFileSync(join(DIST_CHROME, f)).length;

/** React 19's own markers: the element symbol names and the internals key it hands to react-dom. */
const REACT_SIGNS = [
  /react\.transitional\.element/,
  /react\.element/,
  /__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE/,
  /react-dom/,
];

main(async () => {
  const rep = new Reporter('bundle');
  if (!existsSync(join(DIST_CHROME, 'manifest.json'))) throw new Error('dist/chrome is missing');
  const manifest = JSON.parse(readFileSync(join(DIST_CHROME, 'manifest.json'), 'utf8'));
  const pages: Record<string, string[]> = {
    panel: htmlEntries('extension/panel/index.html'),
    popup: htmlEntries('extension/popup/index.html'),
    devtools: htmlEntries('extension/devtools/index.html'),
    worker: [manifest.background.service_worker],
  };
  const files: Record<string, string[]> = {};
  for (const [name, starts] of Object.entries(pages)) {
    const list = closure(starts).filter((f) => /\.(js|css)$/.test(f));
    files[name] = list;
    const js = list.filter((f) => f.endsWith('.js')),
      css = list.filter((f) => f.endsWith('.css'));
    const sum = (l: string[], fn: (f: string) => number) => l.reduce((n, f) => n + fn(f), 0);
    rep.fig({
      key: `bundle.${name}_gz_kb`,
      label: `${name}: JS+CSS gzipped (${js.length} JS, ${css.length} CSS files; raw ${(sum(list, raw) / 1024).toFixed(1)} KiB)`,
      value: sum(list, gz) / 1024,
      unit: 'KiB',
    });
  }
  const workerHits = files.worker.flatMap((f) => {
    const src = readFileSync(join(DIST_CHROME, f), 'utf8');
    return REACT_SIGNS.filter((re) => re.test(src)).map((re) => `${f}: ${re.source}`);
  });
  rep.raw.files = Object.fromEntries(
    Object.entries(files).map(([k, l]) => [k, l.map((f) => ({ file: f, raw: raw(f), gzip: gz(f) }))]),
  );
  rep.raw.workerReactHits = workerHits;
  rep.fig({
    key: 'bundle.worker_has_react',
    label: 'worker chunks contain React',
    value: workerHits.length ? 1 : 0,
    unit: 'bool',
    goal: '= 0',
    pass: workerHits.length === 0,
  });
  const panelReact = files.panel.some(
    (f) => f.endsWith('.js') && REACT_SIGNS[0].test(readFileSync(join(DIST_CHROME, f), 'utf8')),
  );
  rep.note(
    `worker files: ${files.worker.join(', ')}${workerHits.length ? `; React found: ${workerHits.join('; ')}` : ''}; the search does find React in the panel's chunks: ${panelReact ? 'yes' : 'NO (the signature check is broken)'}`,
  );
  rep.finish();
});
