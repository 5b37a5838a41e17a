// The DevTools "CORS" panel: request list on the left, the selected request explained on the right.
import { useEffect, useMemo, useState } from 'react';
import { loadFramework, saveFramework } from '../platform/prefs';
import { useTabLog } from './use-tab-log';
import { RequestList } from './request-list';
import { DetailView } from './detail-view';
import { Toolbar, type Filters } from './toolbar';
import { ErrorBoundary } from '../ui/error-boundary';
import { EmptyState } from '../ui/empty-state';
import { HarTab } from './har-tab';
import { browserName } from '../platform/browser';
import './panel.css';
import { originOf } from '../../src/capture/url-origin';
import type { WireEntry } from '../protocol/messages';

export function PanelApp({ tabId }: { tabId: number | null }) {
  const log = useTabLog(tabId);
  const [filters, setFilters] = useState<Filters>({ blockedOnly: false, text: '', origin: '' });
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  const [framework, setFramework] = useState<string | null>(null);
  const [view, setView] = useState<'live' | 'har'>('live');
  useEffect(() => { void loadFramework().then((f) => f && setFramework(f)); }, []);
  const pickFramework = (id: string) => { setFramework(id); saveFramework(id); };

  const origins = useMemo(() => {
    const s = new Set<string>();
    for (const e of log.entries) s.add(searchKeyOf(e).origin);
    return [...s].sort();
  }, [log.entries]);

  const visible = useMemo(() => {
    const text = filters.text.trim().toLowerCase();
    return log.entries.filter((e) => {
      if (filters.blockedOnly && e.verdict.kind !== 'blocked' && e.verdict.kind !== 'allowed-hidden-headers') return false;
      if (!filters.origin && !text) return true;
      const k = searchKeyOf(e);
      if (filters.origin && k.origin !== filters.origin) return false;
      if (text && !k.url.includes(text) && !k.method.includes(text) && !k.reason.includes(text)) return false;
      return true;
    });
  }, [log.entries, filters]);

  const selected = selectedSeq === null ? null : log.entries.find((e) => e.seq === selectedSeq) ?? null;

  const tabs = (
    <div className="view-tabs" role="tablist" aria-label="Source">
      <button type="button" role="tab" aria-selected={view === 'live'} onClick={() => setView('live')}>Live</button>
      <button type="button" role="tab" aria-selected={view === 'har'} onClick={() => setView('har')} data-testid="har-tab">HAR file</button>
    </div>
  );
  if (view === 'har') {
    return <div className="panel">{tabs}<HarTab browser={browserName} framework={framework} onFramework={pickFramework} /></div>;
  }
  if (tabId === null) return <div className="panel">{tabs}<EmptyState title="No tab to inspect" body="Open this panel from DevTools, or add ?tabId=N to the URL." /></div>;

  return (
    <div className="panel">
      {tabs}
      <Toolbar tabId={tabId} filters={filters} onFilters={setFilters} origins={origins} meta={log.meta}
        total={log.entries.length} shown={visible.length} connection={log.connection} reconnected={log.reconnected} entries={log.entries} />
      {log.protocolError && <div role="alert" className="banner error">{log.protocolError}</div>}
      {log.meta && log.meta.navigations === 0 && log.connection === 'live' && (
        // The worker never saw this tab load: CORS Lens was installed, updated or reloaded after the page was (Chromium
        // closes DevTools on an extension reload and storage.session starts empty; measured in reliability-reload).
        <div role="status" className="banner info" data-testid="started-late">
          CORS Lens started after this page was loaded: requests made before are not listed. Reload the page to see them all.
        </div>
      )}
      {log.entries.length === 0 ? (
        <EmptyState title="No cross-origin requests captured yet"
          body="Reload the page to capture its requests (requests made before CORS Lens was installed or before the worker started are not visible)." />
      ) : (
        <div className="split">
          <ErrorBoundary label="request list">
            <RequestList entries={visible} selectedSeq={selectedSeq} onSelect={setSelectedSeq} />
          </ErrorBoundary>
          <ErrorBoundary label="request details" resetKey={selectedSeq}>
            {selected
              ? <DetailView entry={selected} all={log.entries} framework={framework} onFramework={pickFramework} />
              : <EmptyState title="Select a request" body="Use ↑/↓ in the list, or click a row." />}
          </ErrorBoundary>
        </div>
      )}
    </div>
  );
}

interface SearchKey { origin: string; url: string; method: string; reason: string }
/**
 * What the filters compare, lowercased once per entry (entries are immutable: an update replaces the object). Each
 * keystroke lowercased every URL again: a new string per entry per keystroke.
 */
const searchKeys = new WeakMap<WireEntry, SearchKey>();
function searchKeyOf(e: WireEntry): SearchKey {
  let k = searchKeys.get(e);
  if (!k) {
    k = {
      origin: originOf(e.request.url) ?? e.request.url,
      url: e.request.url.toLowerCase(),
      method: e.request.method.toLowerCase(),
      reason: e.verdict.kind === 'blocked' ? e.verdict.reason.corsError.toLowerCase() : '',
    };
    searchKeys.set(e, k);
  }
  return k;
}
