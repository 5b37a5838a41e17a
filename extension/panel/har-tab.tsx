// The HAR tab: drop (or open) a HAR exported from Chrome, Firefox, Safari, Charles, Proxyman, mitmproxy or
// Playwright and diagnose it exactly like live traffic. Parsing runs in a web worker with progress, so a
// 200 MB file never freezes the panel.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { BrowserName } from '../../src/engine/types';
import type { WireEntry } from '../protocol/messages';
import type { HarWorkerMessage } from './har-worker';
import { RequestSplit } from './request-split';
import { EmptyState } from '../ui/empty-state';
import { ExportMenu } from './export-menu';
import { browserOfHar } from '../../src/har/browser-of';

interface Props { browser: BrowserName; framework: string | null; onFramework(id: string): void }

interface Loaded {
  name: string;
  progress: { read: number; total: number };
  entries: WireEntry[];
  done: Extract<HarWorkerMessage, { type: 'done' }> | null;
}

export function HarTab({ browser: defaultBrowser, framework, onFramework }: Props) {
  const id = useId();
  const [browser, setBrowser] = useState<BrowserName>(defaultBrowser);
  const [file, setFile] = useState<File | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [blockedOnly, setBlockedOnly] = useState(false);
  const [drag, setDrag] = useState(false);
  const [madeBy, setMadeBy] = useState<BrowserName | null>(null);
  const worker = useRef<Worker | null>(null);

  /** A Firefox HAR must be judged by Firefox's rules (it records response-side blocks as 200s): preselect them. */
  const pick = async (f: File) => {
    const made = browserOfHar(await f.slice(0, 65536).text().catch(() => ''));
    setMadeBy(made);
    if (made) setBrowser(made);
    setFile(f);
  };

  useEffect(() => {
    if (!file) return;
    worker.current?.terminate();
    const w = new Worker(new URL('./har-worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    setLoaded({ name: file.name, progress: { read: 0, total: file.size }, entries: [], done: null });
    setSelected(null);
    w.onmessage = (e: MessageEvent<HarWorkerMessage>) => {
      const m = e.data;
      setLoaded((l) => {
        if (!l) return l;
        switch (m.type) {
          case 'progress': return { ...l, progress: { read: m.read, total: m.total } };
          case 'entries': return { ...l, entries: l.entries.concat(m.entries) };
          case 'done': return { ...l, done: m };
        }
      });
    };
    w.onerror = (e) => setLoaded((l) => l && { ...l, done: { type: 'done', requests: 0, entries: 0, warnings: [], warningCount: 0, error: `the HAR reader failed: ${e.message}` } });
    w.postMessage({ file, browser });
    return () => w.terminate();
  }, [file, browser]);

  const visible = useMemo(() => (loaded?.entries ?? []).filter((e) => !blockedOnly || e.verdict.kind === 'blocked' || e.verdict.kind === 'allowed-hidden-headers'), [loaded, blockedOnly]);
  const pct = loaded && loaded.progress.total ? Math.round((100 * loaded.progress.read) / loaded.progress.total) : 0;

  return (
    <div className={`har-tab${drag ? ' dragging' : ''}`}
      onDragOver={(e) => { e.preventDefault(); setDrag(true); }}
      onDragLeave={() => setDrag(false)}
      onDrop={(e) => { e.preventDefault(); setDrag(false); const f = e.dataTransfer.files[0]; if (f) void pick(f); }}>
      <div className="toolbar" role="toolbar" aria-label="HAR file">
        <label htmlFor={`${id}-file`}>Open a HAR file</label>
        <input id={`${id}-file`} type="file" accept=".har,application/json" data-testid="har-input"
          onChange={(e) => { const f = e.target.files?.[0]; if (f) void pick(f); }} />
        <label htmlFor={`${id}-b`}>Verdicts for</label>
        <select id={`${id}-b`} value={browser} onChange={(e) => setBrowser(e.target.value as BrowserName)}>
          <option value="chromium">Chromium</option>
          <option value="firefox">Firefox</option>
        </select>
        {madeBy && <span className="made-by" data-testid="har-made-by">(the file was exported by {madeBy === 'firefox' ? 'Firefox' : 'a Chromium-based tool'})</span>}
        <label><input type="checkbox" checked={blockedOnly} onChange={(e) => setBlockedOnly(e.target.checked)} /> Problems only</label>
        {loaded?.done && <ExportMenu entries={loaded.entries} />}
        {loaded && (
          <span className="counts" aria-live="polite" data-testid="har-status">
            {loaded.done
              ? loaded.done.error ? `${loaded.name}: ${loaded.done.error}` : `${loaded.name}: ${loaded.entries.length} requests from ${loaded.done.entries} entries${loaded.done.warningCount ? `, ${loaded.done.warningCount} entries skipped` : ''}`
              : `${loaded.name}: reading… ${pct}%`}
          </span>
        )}
      </div>
      {loaded && !loaded.done && <progress className="har-progress" max={100} value={pct} aria-label={`Reading ${loaded.name}`} />}
      {loaded?.done && loaded.done.warnings.length > 0 && (
        <details className="har-warnings"><summary>{loaded.done.warningCount} entries skipped or repaired</summary>
          <ul>{loaded.done.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul></details>
      )}
      {!loaded ? (
        <EmptyState title="Diagnose a HAR file" body="Drop a .har file here (exported from Chrome, Firefox, Safari, Charles, Proxyman, mitmproxy or Playwright), or use Open a HAR file. It is read on this machine only." />
      ) : (
        <RequestSplit entries={visible} all={loaded.entries} selectedSeq={selected} onSelect={setSelected}
          framework={framework} onFramework={onFramework} />
      )}
    </div>
  );
}
