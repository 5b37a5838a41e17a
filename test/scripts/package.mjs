// `npm run package`: store-ready zips of both builds (dist/cors-lens-chrome-<v>.zip, dist/cors-lens-firefox-<v>.zip).
import { zipSync } from 'fflate';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
for (const target of ['chrome', 'firefox']) {
  const dir = `dist/${target}`;
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.error(`${dir} is not built: run npm run build first`);
    process.exit(1);
  }
  const tree = {};
  // Stores require manifest.json at the zip root; dev-only files (.vite) are not shipped.
  for (const f of files(dir)) {
    const rel = relative(dir, f).split('\\').join('/');
    if (rel.startsWith('.vite/')) continue;
    tree[rel] = [readFileSync(f), { level: 9, mtime: new Date('2026-01-01T00:00:00Z') }];
  }
  const out = `dist/cors-lens-${target}-${version}.zip`;
  writeFileSync(out, zipSync(tree));
  console.log(`${out}: ${Object.keys(tree).length} files, ${(statSync(out).size / 1024).toFixed(1)} KiB`);
}
