// What the panel and the popup say when CORS Lens has no access to the page's site, and the one click that grants
// it (extension/platform/site-access.ts; docs/site-access.md).
import { useEffect, useState } from 'react';
import {
  hasSiteAccess,
  onSiteAccessChanged,
  reloadPage,
  requestSiteAccess,
  watchPageUrl,
} from '../platform/site-access';
import { siteLabelOf, sitePatternOf } from '../../src/capture';
import { request } from '../platform/client';

export type SiteAccess =
  | { state: 'unknown' }
  /** A page no host permission can name (chrome:, about:, file:): nothing to grant. */
  | { state: 'not-a-site'; url: string }
  | { state: 'granted'; url: string }
  | { state: 'missing'; url: string };

/** The page's URL and whether CORS Lens may watch its site, kept current as permissions and the page change. */
export function useSiteAccess(tabId: number | null): SiteAccess {
  const [url, setUrl] = useState<string | null>(null);
  // The answer is kept with the URL it is for, so a page that changed reads as unknown until its own answer comes.
  const [answer, setAnswer] = useState<{ url: string; access: SiteAccess } | null>(null);
  const [changes, setChanges] = useState(0);
  useEffect(() => (tabId === null ? undefined : watchPageUrl(tabId, setUrl)), [tabId]);
  useEffect(() => onSiteAccessChanged(() => setChanges((n) => n + 1)), []);
  useEffect(() => {
    if (!url) return;
    let live = true;
    hasSiteAccess(url).then(
      (has) => {
        if (live)
          setAnswer({
            url,
            access: has === null ? { state: 'not-a-site', url } : { state: has ? 'granted' : 'missing', url },
          });
      },
      () => live && setAnswer({ url, access: UNKNOWN }),
    );
    return () => {
      live = false;
    };
  }, [url, changes]);
  return url !== null && answer?.url === url ? answer.access : UNKNOWN;
}

const UNKNOWN: SiteAccess = { state: 'unknown' };

/**
 * Shown instead of the empty log where CORS Lens has no access: what is missing, what it costs (nothing of this page
 * is captured; requests made before access was granted stay uncaptured), and one button. Once granted, one more
 * button reloads the page, which captures everything again.
 */
export function NoSiteAccess({ url, tabId, granted }: { url: string; tabId: number; granted: boolean }) {
  const site = siteLabelOf(url);
  const [refused, setRefused] = useState(false);
  if (granted) {
    return (
      <div className="empty-state site-access" role="status" data-testid="site-access-granted">
        <h2>CORS Lens can now watch {site}</h2>
        <p>Requests the page made before access was granted were not captured. Reload the page to capture them all.</p>
        <p>
          <button type="button" data-testid="reload-page" onClick={() => reloadPage(tabId)}>
            Reload the page
          </button>
        </p>
      </div>
    );
  }
  const grant = () => {
    // Called straight from the click: browsers accept a permission request only during a user action.
    requestSiteAccess(url).then(
      (ok) => setRefused(!ok),
      () => setRefused(true),
    );
  };
  return (
    <div className="empty-state site-access" role="alert" data-testid="no-site-access">
      <h2>CORS Lens has no access to {site}</h2>
      <p>
        It sees none of this page's requests: the browser's site access for CORS Lens leaves this site out, or the watch
        mode is “Sites I choose” and this site is not one of them. Sites CORS Lens cannot access are slowed less.
      </p>
      <p>
        <button type="button" data-testid="grant-site" onClick={grant}>
          Allow on {site}
        </button>
      </p>
      <p className="dim">
        Then reload the page: requests made before access was granted are not captured. If calls to another site (an API
        on another host) still do not show, the panel offers to allow that site too.
      </p>
      {refused && (
        <p role="status" data-testid="grant-refused">
          Access was not granted.
        </p>
      )}
    </div>
  );
}

/**
 * Calls the page made to sites CORS Lens may not access: the page observer saw them, the network reported nothing
 * (Firefox reports a request only if the extension may access its URL; Chromium, with site access withheld, decides
 * on the page's site: docs/site-access.md). One button per site; calls made from then on are captured.
 */
export function UnseenSites({ tabId, pageUrl }: { tabId: number; pageUrl: string }) {
  const [sites, setSites] = useState<string[]>([]);
  const [changes, setChanges] = useState(0);
  useEffect(() => onSiteAccessChanged(() => setChanges((n) => n + 1)), []);
  useEffect(() => {
    let live = true;
    const check = async () => {
      const { origins } = await request('getUnseenOrigins', { tabId });
      // One button per site (a site's pattern covers every port), none for the page's own.
      const asked = new Set([sitePatternOf(pageUrl)]);
      const missing: string[] = [];
      for (const o of origins) {
        const pattern = sitePatternOf(o);
        if (asked.has(pattern)) continue;
        asked.add(pattern);
        if ((await hasSiteAccess(o)) === false) missing.push(o);
      }
      if (live) setSites(missing);
    };
    const tick = () => {
      check().catch(() => {});
    };
    tick();
    const timer = setInterval(tick, 2_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [tabId, pageUrl, changes]);
  if (sites.length === 0) return null;
  return (
    <div role="alert" className="banner info" data-testid="unseen-sites">
      {sites.map((o) => (
        <p key={o}>
          Calls to {siteLabelOf(o)} are not captured: CORS Lens has no access to that site.{' '}
          <button
            type="button"
            data-testid="grant-unseen"
            onClick={() => {
              requestSiteAccess(o).catch(() => {});
            }}>
            Allow on {siteLabelOf(o)}
          </button>{' '}
          Calls made after that are captured.
        </p>
      ))}
    </div>
  );
}
