// The DevTools "CORS" panel: the request list, and the selected request explained beside or below it.
import { useEffect, useMemo, useState } from 'react';
import { loadFramework, saveFramework } from '../platform/prefs';
import { useTabLog } from './use-tab-log';
import { Toolbar } from './toolbar';
import { EmptyState } from '../ui/empty-state';
import { HarTab } from './har-tab';
import { RequestSplit } from './request-split';
import { isFiltering, NO_FILTERS, originsOf, useFiltered, type Filters } from './filtering';
import { browserName } from '../platform/browser';
import { NoSiteAccess, UnseenSites, useSiteAccess } from '../ui/site-access';
import { TabWatchNotice, useTabWatch } from '../ui/tab-watch';
import './panel.css';

export function PanelApp({ tabId }: { tabId: number | null }) {
  const log = useTabLog(tabId);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  const [framework, setFramework] = useState<string | null>(null);
  const [view, setView] = useState<'live' | 'har'>('live');
  useEffect(() => {
    void loadFramework().then((f) => f && setFramework(f));
  }, []);
  const pickFramework = (id: string) => {
    setFramework(id);
    saveFramework(id);
  };
  const origins = useMemo(() => originsOf(log.entries), [log.entries]);
  const visible = useFiltered(log.entries, filters);
  const emptyWhy = useEmptyReason(log.entries.length, log.meta?.navigations ?? null);
  const access = useSiteAccess(tabId);
  const watch = useTabWatch(tabId, log.meta?.navigations);
  // Access granted while the panel was open: the page must be reloaded before anything shows. Once the worker sees
  // the page load again (or a request), the usual empty states apply.
  const wasMissing = useAwaitingReload(access.state === 'missing', log.meta?.navigations ?? 0, log.entries.length);

  const tabs = (
    <div className="view-tabs" role="tablist" aria-label="Source">
      <button type="button" role="tab" aria-selected={view === 'live'} onClick={() => setView('live')}>
        Live
      </button>
      <button
        type="button"
        role="tab"
        aria-selected={view === 'har'}
        onClick={() => setView('har')}
        data-testid="har-tab">
        HAR file
      </button>
    </div>
  );
  if (view === 'har') {
    return (
      <div className="panel">
        {tabs}
        <HarTab browser={browserName} framework={framework} onFramework={pickFramework} />
      </div>
    );
  }
  if (tabId === null)
    return (
      <div className="panel">
        {tabs}
        <EmptyState title="No tab to inspect" body="Open this panel from DevTools, or add ?tabId=N to the URL." />
      </div>
    );

  return (
    <div className="panel">
      {tabs}
      <Toolbar
        tabId={tabId}
        filters={filters}
        onFilters={setFilters}
        origins={origins}
        meta={log.meta}
        total={log.entries.length}
        shown={visible.length}
        connection={log.connection}
        reconnected={log.reconnected}
        entries={log.entries}
      />
      {log.protocolError && (
        <div role="alert" className="banner error">
          {log.protocolError}
        </div>
      )}
      {log.meta &&
        log.meta.navigations === 0 &&
        log.connection === 'live' &&
        access.state !== 'missing' &&
        !wasMissing &&
        !watch?.openedOnly && (
          // The worker never saw this tab load: CORS Lens was installed, updated or reloaded after the page was (Chromium
          // closes DevTools on an extension reload and storage.session starts empty; measured in reliability-reload).
          <div role="status" className="banner info" data-testid="started-late">
            CORS Lens started after this page was loaded: requests made before are not listed. Reload the page to see
            them all.
          </div>
        )}
      <TabWatchNotice tabId={tabId} state={watch} />
      {access.state === 'granted' && <UnseenSites tabId={tabId} pageUrl={access.url} />}
      {access.state === 'missing' && log.entries.length > 0 && (
        <div role="alert" className="banner error" data-testid="site-access-lost">
          CORS Lens no longer has access to this site: new requests are not captured.
        </div>
      )}
      {log.entries.length === 0 && access.state === 'missing' ? (
        <NoSiteAccess url={access.url} tabId={tabId} granted={false} />
      ) : log.entries.length === 0 && access.state === 'granted' && wasMissing ? (
        <NoSiteAccess url={access.url} tabId={tabId} granted />
      ) : log.entries.length === 0 ? (
        <EmptyLog why={emptyWhy} />
      ) : (
        <RequestSplit
          entries={visible}
          all={log.entries}
          selectedSeq={selectedSeq}
          onSelect={setSelectedSeq}
          framework={framework}
          onFramework={pickFramework}
          empty={isFiltering(filters) && <NoMatch filters={filters} onClear={() => setFilters(NO_FILTERS)} />}
        />
      )}
    </div>
  );
}

type EmptyWhy = 'fresh' | 'cleared' | 'navigated';

/**
 * Why the log is empty: nothing since the panel opened, the user cleared it, or the page loaded again (the log is
 * cleared on navigation unless preserved) and has made no cross-origin request since.
 */
/**
 * Whether access was missing and nothing has shown since: true from a render where access is missing until the page
 * loads again (the navigation count passes the one seen then) or an entry arrives. State updated during render, as in
 * useEmptyReason.
 */
function useAwaitingReload(missing: boolean, navigations: number, entries: number): boolean {
  const [since, setSince] = useState<number | null>(null);
  const next = missing ? navigations : since !== null && (entries > 0 || navigations > since) ? null : since;
  if (next !== since) setSince(next);
  return next !== null;
}

function useEmptyReason(count: number, navigations: number | null): EmptyWhy {
  // What earlier renders saw: whether the log ever had entries, and the navigation count when it last had (counted
  // from the first meta the worker sends, null until then, not from 0). Kept as state and updated during render,
  // React's pattern for information from previous renders (https://react.dev/reference/react/useState#storing-information-from-previous-renders).
  const [seen, setSeen] = useState<{ had: boolean; nav: number | null }>({ had: false, nav: null });
  if (navigations === null) return 'fresh';
  const had = seen.had || count > 0;
  const nav = count > 0 ? navigations : (seen.nav ?? navigations);
  if (had !== seen.had || nav !== seen.nav) setSeen({ had, nav });
  if (navigations > nav) return 'navigated';
  return had ? 'cleared' : 'fresh';
}

function EmptyLog({ why }: { why: EmptyWhy }) {
  switch (why) {
    case 'fresh':
      return (
        <EmptyState
          title="No cross-origin requests captured yet"
          body="Reload the page to capture its requests (requests made before CORS Lens was installed or before the worker started are not visible). Requests to the page's own origin involve no CORS and are not listed."
        />
      );
    case 'cleared':
      return (
        <EmptyState
          title="Log cleared"
          body="Cross-origin requests the page makes from now on appear here. Reload the page to capture its requests again."
        />
      );
    case 'navigated':
      return (
        <EmptyState
          title="No cross-origin requests on this page"
          body="The page loaded without making a request to another origin: every request it made went to its own origin, which involves no CORS. Tick Preserve log to keep requests across navigations."
        />
      );
  }
}

function NoMatch({ filters, onClear }: { filters: Filters; onClear(): void }) {
  const parts = [
    filters.text.trim() && `“${filters.text.trim()}”`,
    filters.origin && `origin ${filters.origin}`,
    filters.blockedOnly && 'problems only',
    filters.types.length > 0 && `type ${filters.types.join(', ')}`,
  ].filter(Boolean);
  return (
    <div className="empty-state" role="status" data-testid="no-match">
      <h2>No request matches the filter</h2>
      <p>
        Filtered by {parts.join(', ')}.{' '}
        <button type="button" onClick={onClear}>
          Clear the filter
        </button>
      </p>
    </div>
  );
}
