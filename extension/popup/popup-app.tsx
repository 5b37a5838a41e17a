// "Is CORS breaking this page, and where?" — counts for the current tab, failing origins with their top
// reasons in plain words, the one-line fix and a copy button for the remembered framework's config.
import { useEffect, useMemo, useState } from 'react';
import { request } from '../platform/client';
import { loadFramework } from '../platform/prefs';
import type { TabSummary, WireEntry } from '../protocol/messages';
import { EmptyState } from '../ui/empty-state';
import { CopyButton } from '../ui/copy-button';
import { explain } from '../../src/report';
import { listFrameworks, mergedFixForOrigin } from '../../src/suggest';
import './popup.css';
import { NoSiteAccess, useSiteAccess } from '../ui/site-access';
import { WatchModeSelect } from '../ui/watch-mode';
import { TabWatchNotice, useTabWatch } from '../ui/tab-watch';
import { originOf as urlOrigin } from '../../src/capture';

const FRAMEWORKS = listFrameworks();

export function PopupApp({ tabId }: { tabId: number | null }) {
  const [summary, setSummary] = useState<TabSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [framework, setFramework] = useState<string>('raw-headers');
  const access = useSiteAccess(tabId);
  const watch = useTabWatch(tabId);
  useEffect(() => {
    if (tabId === null) return;
    const t0 = performance.now();
    request('getSummary', { tabId }).then(
      (s) => {
        setSummary(s);
        // Exposed for the e2e test and the benchmark: time from opening to data in hand.
        document.documentElement.dataset.loadedMs = String(Math.round(performance.now() - t0));
      },
      (e) => setError(String(e)),
    );
    void loadFramework().then((f) => f && setFramework(f));
  }, [tabId]);

  if (error)
    return (
      <div role="alert" className="popup">
        CORS Lens could not reach its worker: {error}
      </div>
    );
  if (tabId === null)
    return (
      <div className="popup">
        <EmptyState title="No tab" body="Open the popup from a tab." />
      </div>
    );
  if (!summary)
    return (
      <div className="popup" aria-busy="true">
        Loading…
      </div>
    );
  if (summary.total === 0 && access.state === 'missing') {
    return (
      <div className="popup">
        <NoSiteAccess url={access.url} tabId={tabId} granted={false} />
        <p>
          <WatchModeSelect tabId={tabId} />
        </p>
      </div>
    );
  }
  if (summary.total === 0) {
    return (
      <div className="popup">
        <TabWatchNotice tabId={tabId} state={watch} />
        <EmptyState
          title="Nothing captured in this tab yet"
          body={
            watch?.openedOnly && !watch.pageLoadedSince
              ? 'Requests the page makes from now on appear here.'
              : access.state === 'unknown'
                ? "Reload the page: requests made before CORS Lens was installed, or before this tab was loaded, are not visible. If the browser gives CORS Lens no access to this site, it sees nothing here: allow it from the CORS panel in DevTools or the browser's extension menu."
                : 'Reload the page: requests made before CORS Lens was installed, or before this tab was loaded, are not visible.'
          }
        />
        <p>
          <WatchModeSelect tabId={tabId} />
        </p>
      </div>
    );
  }
  const c = summary.counts;
  // An origin whose calls failed for another reason than CORS has top reasons too (src/report/build.ts).
  const failingGroups = summary.groups.filter((g) => g.blocked + g.hidden > 0 || g.topReasons.length > 0);
  const fwLabel = FRAMEWORKS.find((f) => f.id === framework)?.label ?? framework;
  const groupOf = (g: TabSummary['groups'][number]) => (
    <Group
      key={g.origin}
      origin={g.origin}
      reasons={g.topReasons}
      blocked={g.blocked}
      failing={summary.failing.filter((e) => originOf(e.request.url) === g.origin)}
      working={(summary.working ?? []).filter((e) => originOf(e.request.url) === g.origin)}
      framework={framework}
      frameworkLabel={fwLabel}
    />
  );
  return (
    <div className="popup">
      <h1>CORS in this tab</h1>
      <TabWatchNotice tabId={tabId} state={watch} />
      <ul className="counts" aria-label="Requests by verdict">
        <li className="blocked" data-testid="count-blocked">
          <b>{c.blocked}</b> blocked
        </li>
        <li className="hidden" data-testid="count-hidden">
          <b>{c['allowed-hidden-headers']}</b> hidden headers
        </li>
        <li className="allowed" data-testid="count-allowed">
          <b>{c.allowed}</b> allowed
        </li>
      </ul>
      {failingGroups.length === 0 && <p className="ok">No CORS problems in this tab.</p>}
      {failingGroups.slice(0, OPEN_GROUPS).map((g) => groupOf(g))}
      {failingGroups.length > OPEN_GROUPS && (
        // Many failing origins would grow the popup past the screen: the rest fold away, one click from view.
        <details className="more-groups" data-testid="more-groups">
          <summary>
            {failingGroups.length - OPEN_GROUPS} more failing origin
            {failingGroups.length - OPEN_GROUPS === 1 ? '' : 's'}
          </summary>
          {failingGroups.slice(OPEN_GROUPS).map((g) => groupOf(g))}
        </details>
      )}
      {access.state === 'missing' && (
        <p role="alert" data-testid="site-access-lost">
          CORS Lens no longer has access to this site: new requests are not captured.
        </p>
      )}
      <p className="hint">
        Details, headers and every framework: open DevTools (F12, or Ctrl+Shift+I / ⌥⌘I) → <b>CORS</b> tab.
      </p>
    </div>
  );
}

const originOf = (url: string): string => urlOrigin(url) ?? url;

/** Failing origins shown open; the rest are folded. */
const OPEN_GROUPS = 3;
/** Reasons shown per origin; the rest are one click away, and blocked requests beyond the top reasons are counted. */
const OPEN_REASONS = 3;

function Group({
  origin,
  reasons,
  blocked,
  failing,
  working,
  framework,
  frameworkLabel,
}: {
  origin: string;
  reasons: { text: string; count: number }[];
  blocked: number;
  failing: WireEntry[];
  working: WireEntry[];
  framework: string;
  frameworkLabel: string;
}) {
  // The same merged fix as the panel and the CLI: the requests that work go in too, so pasting it breaks none.
  const fix = useMemo(() => {
    try {
      return mergedFixForOrigin(
        [...failing, ...working].map((e) => ({ request: e.request, verdict: e.verdict })),
        origin,
        framework,
      ).fix;
    } catch {
      return null;
    }
  }, [failing, working, origin, framework]);
  // One line per distinct change the failures need (a header refused here, a method there), not the first one only:
  // a user fixing one and reloading would fail again on the next.
  const actions = useMemo(() => [...new Set(failing.map((e) => explain(e.request, e.verdict).action))], [failing]);
  // The report keeps the top reasons only: say how many blocked requests they leave out, never drop them silently.
  const unlisted = blocked - reasons.reduce((n, r) => n + r.count, 0);
  return (
    <section className="group" data-testid="group" aria-label={`Failing requests to ${origin}`}>
      <h2>{origin}</h2>
      <ul>
        {reasons.slice(0, OPEN_REASONS).map((r) => (
          <li key={r.text}>{r.text}</li>
        ))}
      </ul>
      {reasons.length > OPEN_REASONS && (
        <details className="more-reasons">
          <summary>
            +{reasons.length - OPEN_REASONS} more reason{reasons.length - OPEN_REASONS === 1 ? '' : 's'}
          </summary>
          <ul>
            {reasons.slice(OPEN_REASONS).map((r) => (
              <li key={r.text}>{r.text}</li>
            ))}
          </ul>
        </details>
      )}
      {unlisted > 0 && (
        <p className="dim" data-testid="unlisted">
          +{unlisted} more blocked for other reasons (see the CORS panel)
        </p>
      )}
      {actions.slice(0, OPEN_REASONS).map((a) => (
        <p key={a} className="fix-line">
          {a}
        </p>
      ))}
      {actions.length > OPEN_REASONS && (
        <p className="dim">+{actions.length - OPEN_REASONS} more changes: the copied config covers them all</p>
      )}
      {fix && (
        <CopyButton
          label={framework === 'raw-headers' ? 'Copy the response headers' : `Copy ${frameworkLabel} config`}
          testId="copy-fix"
          text={() => fix.config.code}
        />
      )}
    </section>
  );
}
