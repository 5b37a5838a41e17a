// Which host-permission match pattern stands for "this site": the URL's scheme and host, every path, any port.
// A pattern without a port matches every port in Chromium and Firefox (test/e2e/site-access.*.test.ts: one grant of
// http://127.0.0.1/* covers a page and its API on two ports), which suits local development.

/** The pattern for the URL's site, or null for a URL no host permission can name (chrome:, about:, data:, file:…). */
export function sitePatternOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (
    (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:') ||
    !u.hostname
  )
    return null;
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
