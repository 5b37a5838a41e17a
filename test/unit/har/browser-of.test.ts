// Which browser's rules `explain` applies when --browser is not given: the HAR's own log.browser / log.creator.
import { describe, expect, it } from 'vitest';
import { browserOfHar } from '../../../src/har/browser-of';

describe('browserOfHar', () => {
  it('reads log.browser first, then log.creator, whatever the key order', () => {
    expect(
      browserOfHar(
        '{"log":{"version":"1.2","creator":{"name":"Firefox","version":"153.0"},"browser":{"name":"Firefox","version":"153.0"},"entries":[',
      ),
    ).toBe('firefox');
    expect(
      browserOfHar(
        '{"log":{"creator":{"name":"Playwright","version":"1.5"},"browser":{"version":"150","name":"firefox"},"entries":[',
      ),
    ).toBe('firefox');
    expect(browserOfHar('{"log":{"creator":{"name":"Playwright"},"browser":{"name":"chromium"},"entries":[')).toBe(
      'chromium',
    );
    expect(browserOfHar('{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[')).toBe(
      'chromium',
    );
    expect(browserOfHar('{\n  "log": {\n    "creator": {\n      "version": "1",\n      "name": "Firefox"\n    }')).toBe(
      'firefox',
    );
  });
  it('says nothing when the head does not name a browser', () => {
    expect(browserOfHar('{"log":{"entries":[')).toBeNull();
    expect(browserOfHar('')).toBeNull();
    expect(browserOfHar('\u0000\u0001garbage')).toBeNull();
  });
});
