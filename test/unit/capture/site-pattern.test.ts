import { describe, expect, it } from 'vitest';
import { siteLabelOf, sitePatternOf } from '../../../src/capture';

describe('sitePatternOf', () => {
  it('names the scheme and host, any port and path', () => {
    expect(sitePatternOf('http://127.0.0.1:8101/app?x=1')).toBe('http://127.0.0.1/*');
    expect(sitePatternOf('https://Shop.Example.com/cart')).toBe('https://shop.example.com/*');
    expect(sitePatternOf('http://[::1]:3000/')).toBe('http://[::1]/*');
  });
  it('has no pattern for pages no host permission can name', () => {
    for (const u of ['chrome://extensions/', 'about:blank', 'data:text/html,x', 'file:///tmp/a.html', 'not a url', ''])
      expect(sitePatternOf(u)).toBeNull();
  });
});

describe('siteLabelOf', () => {
  it('shows the host, and the scheme when it is not https', () => {
    expect(siteLabelOf('https://shop.example.com/cart')).toBe('shop.example.com');
    expect(siteLabelOf('http://127.0.0.1:8101/')).toBe('http://127.0.0.1');
  });
});
