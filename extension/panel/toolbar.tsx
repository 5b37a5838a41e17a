// Filters (blocked only, text, target origin), preserve log, clear, and the connection state.
import type { TabMeta } from '../../src/capture';
import type { ConnectionState } from '../platform/client';
import { request } from '../platform/client';
import type { WireEntry } from '../protocol/messages';
import { ExportMenu } from './export-menu';
import { ObserverToggle } from './observer-toggle';
import { WatchModeSelect } from '../ui/watch-mode';
import type { Filters } from './filtering';
import { FilterControls } from './filter-controls';

export type { Filters };

interface Props {
  tabId: number;
  filters: Filters;
  onFilters(f: Filters): void;
  origins: string[];
  meta: TabMeta | null;
  total: number;
  shown: number;
  connection: ConnectionState;
  reconnected: number;
  entries: WireEntry[];
}

export function Toolbar({
  tabId,
  filters,
  onFilters,
  origins,
  meta,
  total,
  shown,
  connection,
  reconnected,
  entries,
}: Props) {
  const dropped = (meta?.dropped ?? 0) + (meta?.droppedForQuota ?? 0);
  // Say which limit dropped them: the per-tab entry cap, or the storage budget shared by all tabs.
  const why = [
    meta?.dropped ? `${meta.dropped} over the per-tab cap` : '',
    meta?.droppedForQuota ? `${meta.droppedForQuota} for storage space` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div className="toolbar" role="toolbar" aria-label="Filters and actions">
      <FilterControls filters={filters} onFilters={onFilters} origins={origins} />
      <label>
        <input
          type="checkbox"
          checked={meta?.preserveLog ?? false}
          onChange={(e) => void request('setPreserveLog', { tabId, on: e.target.checked })}
        />
        Preserve log
      </label>
      <ObserverToggle />
      <WatchModeSelect tabId={tabId} />
      <button type="button" onClick={() => void request('clearTab', { tabId })}>
        Clear
      </button>
      <ExportMenu entries={entries} pageUrl={meta?.pageUrl} />
      <span className="counts" aria-live="polite">
        {shown === total ? `${total} requests` : `${shown} of ${total} requests`}
        {dropped > 0 && ` · ${dropped} older dropped (${why})`}
      </span>
      <span className={`conn ${connection}${connection === 'live' && reconnected ? ' fading' : ''}`} key={reconnected}>
        {connection === 'live'
          ? reconnected
            ? 'reconnected to the worker'
            : ''
          : connection === 'gone'
            ? 'the extension was reloaded: close and reopen DevTools'
            : connection === 'reconnecting'
              ? 'worker restarting — reconnecting…'
              : connection}
      </span>
    </div>
  );
}
