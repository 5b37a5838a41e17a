// Makes a fresh Debian machine ready for npm test: Chromium and Firefox ESR for the end-to-end tests, and the
// packages listed in debian-packages.json (the config syntax checkers of test/unit/suggest/syntax.test.ts).
// As root it installs what is missing with apt-get; otherwise it prints the command to run.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const wanted = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
];
const listed = JSON.parse(readFileSync(new URL('./debian-packages.json', import.meta.url), 'utf8'));
const extra = [...listed.syntaxCheckers, ...process.argv.slice(2)].map((pkg) => ({ bin: null, pkg }));

const missing = [
  ...wanted.filter((w) => !existsSync(w.bin)),
  ...extra.filter((e) => spawnSync('dpkg', ['-s', e.pkg], { stdio: 'ignore' }).status !== 0),
];
if (missing.length === 0) {
  console.log(`setup: browsers (chromium, firefox-esr) and ${extra.length} other Debian packages present`);
  process.exit(0);
}
const pkgs = missing.map((m) => m.pkg);
if (process.getuid?.() !== 0) {
  console.error(`setup: missing ${pkgs.join(', ')}. Install them with: sudo apt-get install -y ${pkgs.join(' ')}`);
  process.exit(1);
}
console.log(`setup: installing ${pkgs.join(', ')} from Debian…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
let r = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
if (r.status !== 0) {
  console.error('setup: apt-get update failed');
  process.exit(1);
}
r = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
if (r.status !== 0) {
  console.error(`setup: apt-get install ${pkgs.join(' ')} failed`);
  process.exit(1);
}
console.log('setup: done');
