// The capture layer's originOf (on the engine's fast URL parser) answers what `new URL(url).origin` answers.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { originOf } from '../../../src/capture/url-origin';

const RUNS = Number(process.env.FC_RUNS ?? 2000);

describe('capture originOf', () => {
  it('equals URL.origin for web URLs, and null for what URL cannot parse', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()), (url) => {
        let expected: string | null;
        try {
          expected = new URL(url).origin;
        } catch {
          expected = null;
        }
        // Node's URL gives every non-special scheme an opaque origin, as the engine does except for extension
        // schemes (Chromium's initiator for them is a tuple origin): fc never makes those.
        expect(originOf(url)).toBe(url === '' ? null : expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps the port unless it is the default, lowercases the host, and says null for opaque schemes', () => {
    expect(originOf('HTTP://API.Example:80/a')).toBe('http://api.example');
    expect(originOf('https://a.example:8443/x?y')).toBe('https://a.example:8443');
    expect(originOf('data:text/plain,x')).toBe('null');
    expect(originOf('not a url')).toBeNull();
    expect(originOf(undefined)).toBeNull();
  });
});
