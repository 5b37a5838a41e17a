// A missing machine prerequisite skips a test on a developer's machine and fails it in CI.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inCI, missingDebianPackages, skipUnlessCI } from '../../support/prerequisites';

class Skipped extends Error {}
const fakeCtx = {
  skip: ((note?: string) => {
    throw new Skipped(note);
  }) as never,
};

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
      try {
        skipUnlessCI(fakeCtx, 'no nginx', { CI });
      } catch (e) {
        thrown = e;
      }
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

describe('tests skip only through skipUnlessCI', () => {
  const TEST = resolve(__dirname, '../..');
  const files = (readdirSync(TEST, { recursive: true }) as string[]).filter(
    (f) => /\.test\.tsx?$/.test(f) && !f.includes('node_modules'),
  );
  // A skip written any other way (vitest's skip, skipIf or todo, or the test context's skip) passes in CI with the
  // test unrun. The pattern is put together from pieces so that this file does not match itself.
  const SKIP = new RegExp(['\\.', '(?:skip(?:If)?|todo)', '\\('].join('') + '|' + ['\\bctx', '\\.skip\\b'].join(''));

  it('no test file skips in another way', () => {
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((f) =>
      readFileSync(join(TEST, f), 'utf8')
        .split('\n')
        .map((line, i) => (SKIP.test(line) ? `${relative(TEST, join(TEST, f))}:${i + 1}: ${line.trim()}` : null))
        .filter((x): x is string => x !== null),
    );
    expect(offenders).toEqual([]);
  });
});
