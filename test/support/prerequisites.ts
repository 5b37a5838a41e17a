// Tests that need something from the machine (a Debian package, a server binary). On a developer's machine a missing
// prerequisite skips the test with the reason; in CI (the `CI` environment variable set, as every CI service does)
// `npm test`'s setup step must have installed it, so a missing prerequisite fails the test instead of hiding it.
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'vitest';

/** True when the `CI` environment variable is set to anything but an empty string, "0" or "false". */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/** Skips the test with `reason` outside CI; in CI throws, so the test fails with the reason. */
export function skipUnlessCI(
  ctx: Pick<TestContext, 'skip'>,
  reason: string,
  env: NodeJS.ProcessEnv = process.env,
): never {
  if (inCI(env))
    throw new Error(`${reason}\n(CI is set: a missing prerequisite fails the test; npm test's setup step installs it)`);
  return ctx.skip(reason);
}

/** The Debian packages of `pkgs` that dpkg does not report as installed (it only looks; nothing is installed). */
export function missingDebianPackages(pkgs: readonly string[]): string[] {
  return pkgs.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.trim() === 'install ok installed');
  });
}
