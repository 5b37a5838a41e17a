#!/usr/bin/env node
// Make sure Debian packages are installed (idempotent): installs the missing ones with apt-get when run as
// root, otherwise prints the command to run and exits 2. Used by tests that need nginx, apache2, python3-*…
// Usage: node test/scripts/ensure-apt.mjs nginx python3-fastapi …   (exit 0 = all present afterwards)
import { spawnSync } from 'node:child_process';

const PKG_NAME = /^[a-z0-9][a-z0-9+.-]+$/; // Debian policy §5.6.1 package names
const pkgs = process.argv.slice(2);
for (const p of pkgs) {
  if (!PKG_NAME.test(p)) {
    console.error(`ensure-apt: not a Debian package name: ${JSON.stringify(p)}`);
    process.exit(64);
  }
}

/** True when dpkg reports the package as fully installed. */
function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'install ok installed';
}

const missing = pkgs.filter((p) => !installed(p));
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(
    `ensure-apt: missing Debian packages: ${missing.join(' ')}\n` +
      `  install them with: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
  );
  process.exit(2);
}

const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
// DPkg::Lock::Timeout waits for a concurrent apt/dpkg run (another test file) instead of failing at once.
const aptArgs = ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...missing];
function aptInstall() {
  return spawnSync('apt-get', aptArgs, { stdio: ['ignore', 'inherit', 'inherit'], env }).status === 0;
}
console.error(`ensure-apt: installing ${missing.join(' ')}`);
if (!aptInstall()) {
  // Most failures on a fresh machine are stale package lists (404 on a superseded .deb): refresh once.
  spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update'], { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (!aptInstall()) {
    console.error(`ensure-apt: apt-get install failed for ${missing.join(' ')}`);
    process.exit(1);
  }
}
const still = missing.filter((p) => !installed(p));
if (still.length) {
  console.error(`ensure-apt: still missing after install: ${still.join(' ')}`);
  process.exit(1);
}
