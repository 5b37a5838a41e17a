// Makes a fresh Debian machine ready for the end-to-end tests: Chromium and Firefox ESR from Debian's packages.
// As root it installs what is missing with apt-get; otherwise it prints the command to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const wanted = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: '/usr/bin/firefox-esr', pkg: 'firefox-esr' },
];
const extra = process.argv.slice(2).map((pkg) => ({ bin: null, pkg }));

const missing = [...wanted.filter((w) => !existsSync(w.bin)), ...extra.filter((e) => spawnSync('dpkg', ['-s', e.pkg], { stdio: 'ignore' }).status !== 0)];
if (missing.length === 0) {
  console.log('setup: browsers present (chromium, firefox-esr)');
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
if (r.status !== 0) { console.error('setup: apt-get update failed'); process.exit(1); }
r = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
if (r.status !== 0) { console.error(`setup: apt-get install ${pkgs.join(' ')} failed`); process.exit(1); }
console.log('setup: done');
