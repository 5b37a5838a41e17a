// Which host-permission match pattern stands for "this site": the URL's scheme and host, every path, any port.
// Match patterns have no port part (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns;
// Firefox: toolkit/components/extensions/MatchPattern.cpp ignores it too), so http://127.0.0.1/* covers every port
// of a local server, and one grant covers a page and its API on another port of the same host.

/** The pattern for the URL's site, or null for a URL no host permission can name (chrome:, about:, data:, file:…). */
export function sitePatternOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:') || !u.hostname) return null;
  return `${u.protocol}//${u.hostname}/*`;
}

/** How the site is named to the user: its host (with the scheme only when it is not https). */
export function siteLabelOf(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.hostname : `${u.protocol}//${u.hostname}`;
  } catch {
    return url;
  }
}

/** The pattern that means every site (host_permissions in manifest.json). */
export const ALL_SITES = '<all_urls>';
