// The HAR tab: drop (or open) a HAR exported from Chrome, Firefox, Safari, Charles, Proxyman, mitmproxy or
// Playwright and diagnose it exactly like live traffic, with the live list's filter. Parsing runs in a web worker
// with progress and a Stop button, so a 200 MB file never freezes the panel.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { BrowserName } from '../../src/engine/types';
import type { WireEntry } from '../protocol/messages';
import type { HarWorkerMessage } from './har-worker';
import { RequestSplit } from './request-split';
import { EmptyState } from '../ui/empty-state';
import { ExportMenu } from './export-menu';
import { browserOfHar } from '../../src/har';
import { isFiltering, NO_FILTERS, originsOf, useFiltered, type Filters } from './filtering';
import { FilterControls } from './filter-controls';
import { creatorOfHar, harStatus, pageOriginError, plural } from './har-words';

interface Props {
  browser: BrowserName;
  framework: string | null;
  onFramework(id: string): void;
}

type Done = Extract<HarWorkerMessage, { type: 'done' }> & { stopped?: boolean };

interface Loaded {
  name: string;
  progress: { read: number; total: number };
  entries: WireEntry[];
  done: Done | null;
}

const NONE: WireEntry[] = [];

/** Navigations are never CORS-checked: the page loads themselves, listed only as clutter. */
const isNavigation = (e: WireEntry) => e.verdict.kind === 'not-cors' && e.verdict.why === 'navigation';

export function HarTab({ browser: defaultBrowser, framework, onFramework }: Props) {
  const id = useId();
  const [browser, setBrowser] = useState<BrowserName>(defaultBrowser);
  const [file, setFile] = useState<File | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [drag, setDrag] = useState(false);
  const [madeBy, setMadeBy] = useState<string | null>(null);
  const [originText, setOriginText] = useState('');
  const [pageOrigin, setPageOrigin] = useState<string | undefined>(undefined);
  const worker = useRef<Worker | null>(null);
  const originError = pageOriginError(originText);

  /**
   * Reads `f` afresh in a worker, judged for `b` with page origin `o`: called by whatever changes one of the three
   * (a file picked, the browser or the page origin changed), so the list restarts from the event that asked for it.
   */
  const load = (f: File, b: BrowserName, o: string | undefined) => {
    worker.current?.terminate();
    const w = new Worker(new URL('./har-worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    setLoaded({ name: f.name, progress: { read: 0, total: f.size }, entries: [], done: null });
    setSelected(null);
    w.onmessage = (e: MessageEvent<HarWorkerMessage>) => {
      const m = e.data;
      setLoaded((l) => {
        if (!l || l.done) return l;
        switch (m.type) {
          case 'progress':
            return { ...l, progress: { read: m.read, total: m.total } };
          case 'entries':
            return { ...l, entries: l.entries.concat(m.entries.filter((x) => !isNavigation(x))) };
          case 'done':
            return { ...l, done: m };
        }
      });
    };
    w.onerror = (e) =>
      setLoaded(
        (l) =>
          l && {
            ...l,
            done: {
              type: 'done',
              requests: l.entries.length,
              entries: 0,
              warnings: [],
              warningCount: 0,
              error: `the HAR reader failed: ${e.message}`,
            },
          },
      );
    w.postMessage({ file: f, browser: b, origin: o });
  };
  useEffect(() => () => worker.current?.terminate(), []);

  /** A Firefox HAR must be judged by Firefox's rules (it records response-side blocks as 200s): preselect them. */
  const pick = async (f: File) => {
    const head = await f
      .slice(0, 65536)
      .text()
      .catch(() => '');
    const made = browserOfHar(head);
    setMadeBy(creatorOfHar(head));
    if (made) setBrowser(made);
    setFile(f);
    load(f, made ?? browser, pageOrigin);
  };
  const pickBrowser = (b: BrowserName) => {
    setBrowser(b);
    if (file) load(file, b, pageOrigin);
  };
  const pickOrigin = (o: string | undefined) => {
    if (o === pageOrigin) return;
    setPageOrigin(o);
    if (file) load(file, browser, o);
  };

  const stop = () => {
    worker.current?.terminate();
    setLoaded((l) =>
      l && !l.done
        ? {
            ...l,
            done: {
              type: 'done',
              requests: l.entries.length,
              entries: 0,
              warnings: [],
              warningCount: 0,
              error: null,
              stopped: true,
            },
          }
        : l,
    );
  };

  const all = loaded?.entries ?? NONE;
  const origins = useMemo(() => originsOf(all), [all]);
  const visible = useFiltered(all, filters);
  const pct = loaded && loaded.progress.total ? Math.round((100 * loaded.progress.read) / loaded.progress.total) : 0;
  const done = loaded?.done ?? null;

  return (
    <div
      className={`har-tab${drag ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDrag(true);
      }}
      onDragLeave={() => setDrag(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDrag(false);
        const f = e.dataTransfer.files[0];
        if (f) void pick(f);
      }}>
      <div className="toolbar" role="toolbar" aria-label="HAR file">
        <label htmlFor={`${id}-file`}>Open a HAR file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".har,application/json"
          data-testid="har-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void pick(f);
          }}
        />
        <label htmlFor={`${id}-b`}>Verdicts for</label>
        <select
          id={`${id}-b`}
          value={browser}
          onChange={(e) => pickBrowser(e.target.value as BrowserName)}
          data-testid="har-browser">
          <option value="chromium">Chromium</option>
          <option value="firefox">Firefox</option>
        </select>
        {madeBy && (
          <span className="made-by" data-testid="har-made-by">
            made by {madeBy}
          </span>
        )}
        <label htmlFor={`${id}-o`}>Page origin</label>
        {/* What the CLI's --origin gives: the page's origin when the HAR does not record which page made a request. */}
        <input
          id={`${id}-o`}
          className="page-origin"
          placeholder="from the file"
          value={originText}
          data-testid="har-origin"
          aria-invalid={originError ? true : undefined}
          aria-describedby={originError ? `${id}-oe` : undefined}
          onChange={(e) => setOriginText(e.target.value)}
          onBlur={() => {
            if (!originError) pickOrigin(originText.trim() ? new URL(originText.trim()).origin : undefined);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          }}
        />
        {originError && (
          <span id={`${id}-oe`} className="err" role="alert">
            {originError}
          </span>
        )}
        {loaded && !done && (
          <button type="button" onClick={stop} data-testid="har-stop">
            Stop
          </button>
        )}
        {done && <ExportMenu entries={all} />}
        {loaded && (
          <span className="counts" aria-live="polite" data-testid="har-status">
            {done ? harStatus(loaded.name, all.length, done) : `${loaded.name}: reading… ${pct}%`}
          </span>
        )}
      </div>
      {loaded && all.length > 0 && (
        <div className="toolbar filters" role="toolbar" aria-label="Filters">
          <FilterBar
            filters={filters}
            onFilters={setFilters}
            origins={origins}
            shown={visible.length}
            total={all.length}
          />
        </div>
      )}
      {loaded && !done && (
        <progress className="har-progress" max={100} value={pct} aria-label={`Reading ${loaded.name}`} />
      )}
      {done?.error && (
        <div role="alert" className="banner error" data-testid="har-error">
          {loaded!.name}: {done.error}
          {all.length > 0 && ` — showing the ${plural(all.length, 'request')} read before that.`}
        </div>
      )}
      {done && done.warnings.length > 0 && (
        <details className="har-warnings">
          <summary>{plural(done.warningCount, 'entry', 'entries')} skipped or repaired</summary>
          <ul>
            {done.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
      {!loaded ? (
        <EmptyState
          title="Diagnose a HAR file"
          body="Drop a .har file here (exported from Chrome, Firefox, Safari, Charles, Proxyman, mitmproxy or Playwright), or use Open a HAR file. It is read on this machine only."
        />
      ) : done && all.length === 0 && !done.error ? (
        <EmptyState
          title="No cross-origin requests in this file"
          body={
            done.requests > 0
              ? 'Every request it records is a page load (never CORS-checked).'
              : 'The file records no request to another origin: requests to the page’s own origin involve no CORS.'
          }
        />
      ) : (
        all.length > 0 && (
          <RequestSplit
            entries={visible}
            all={all}
            selectedSeq={selected}
            onSelect={setSelected}
            framework={framework}
            onFramework={onFramework}
            fromFile
            empty={
              isFiltering(filters) && (
                <div className="empty-state" role="status" data-testid="no-match">
                  <h2>No request matches the filter</h2>
                  <p>
                    <button type="button" onClick={() => setFilters(NO_FILTERS)}>
                      Clear the filter
                    </button>
                  </p>
                </div>
              )
            }
          />
        )
      )}
    </div>
  );
}

function FilterBar({
  filters,
  onFilters,
  origins,
  shown,
  total,
}: {
  filters: Filters;
  onFilters(f: Filters): void;
  origins: string[];
  shown: number;
  total: number;
}) {
  return (
    <>
      <FilterControls filters={filters} onFilters={onFilters} origins={origins} textTestId="har-filter" />
      {shown !== total && (
        <span className="counts">
          {shown} of {plural(total, 'request')}
        </span>
      )}
    </>
  );
}
