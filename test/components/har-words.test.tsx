// What the HAR tab says about a file: the real creator, plurals, the page origin check.
import { describe, expect, it } from 'vitest';
import { creatorOfHar, harStatus, pageOriginError, plural } from '../../extension/panel/har-words';

describe('HAR tab words', () => {
  it('names the tool that wrote the file', () => {
    expect(creatorOfHar('{"log":{"version":"1.2","creator":{"name":"mitmproxy","version":"11.0"},"entries":[')).toBe(
      'mitmproxy 11.0',
    );
    expect(creatorOfHar('{"log":{"creator":{"name":"WebInspector","version":"537.36"}}')).toBe(
      'Chrome DevTools (WebInspector) 537.36',
    );
    expect(creatorOfHar('{"log":{"creator":{"name":"Charles Proxy"}}')).toBe('Charles Proxy');
    expect(creatorOfHar('{"log":{"entries":[]}}')).toBeNull();
  });

  it('gets plurals right', () => {
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
    expect(
      harStatus('a.har', 1, { type: 'done', requests: 2, entries: 2, warnings: [], warningCount: 1, error: null }),
    ).toBe('a.har: 1 request from 2 entries, 1 page load not listed, 1 entry skipped or repaired');
    expect(
      harStatus('a.har', 3, {
        type: 'done',
        requests: 3,
        entries: 0,
        warnings: [],
        warningCount: 0,
        error: null,
        stopped: true,
      } as never),
    ).toBe('a.har: stopped — 3 requests read so far');
  });

  it("takes an origin as the CLI's --origin does", () => {
    expect(pageOriginError('')).toBeNull();
    expect(pageOriginError('https://app.example')).toBeNull();
    expect(pageOriginError('https://app.example/path')).toBeNull();
    expect(pageOriginError('app.example')).toMatch(/must be an origin/);
    expect(pageOriginError('data:text/plain,x')).toMatch(/must be an origin/);
  });
});
