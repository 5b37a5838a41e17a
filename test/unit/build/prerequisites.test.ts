// A missing machine prerequisite skips a test on a developer's machine and fails it in CI.
import { describe, expect, it } from 'vitest';
import { inCI, missingDebianPackages, skipUnlessCI } from '../../support/prerequisites';

class Skipped extends Error {}
const fakeCtx = { skip: ((note?: string) => { throw new Skipped(note); }) as never };

describe('skipUnlessCI', () => {
  it('skips with the reason outside CI', () => {
    for (const CI of [undefined, '', '0', 'false']) {
      expect(() => skipUnlessCI(fakeCtx, 'no nginx', { CI })).toThrow(Skipped);
      expect(() => skipUnlessCI(fakeCtx, 'no nginx', { CI })).toThrow('no nginx');
    }
  });

  it('fails with the reason in CI', () => {
    for (const CI of ['true', '1', 'yes']) {
      expect(inCI({ CI })).toBe(true);
      let thrown: unknown;
      try { skipUnlessCI(fakeCtx, 'no nginx', { CI }); } catch (e) { thrown = e; }
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).not.toBeInstanceOf(Skipped);
      expect(String(thrown)).toMatch(/no nginx[\s\S]*CI is set/);
    }
  });
});

describe('missingDebianPackages', () => {
  it('names a package that is not installed and only looks', () => {
    expect(missingDebianPackages(['cors-lens-no-such-package'])).toEqual(['cors-lens-no-such-package']);
  });
});
