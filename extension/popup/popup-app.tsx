// "Is CORS breaking this page, and where?" — counts for the current tab, failing origins with their top
// reasons in plain words, the one-line fix and a copy button for the remembered framework's config.
import { useEffect, useMemo, useState } from 'react';
import { request } from '../platform/client';
import { loadFramework } from '../platform/prefs';
import type { TabSummary, WireEntry } from '../protocol/messages';
import { EmptyState } from '../ui/empty-state';
import { CopyButton } from '../ui/copy-button';
import { explain } from '../../src/report/explain';
import { listFrameworks, mergedFixForOrigin } from '../../src/suggest';
import './popup.css';
import { originOf as urlOrigin } from '../../src/capture/url-origin';

const FRAMEWORKS = listFrameworks();

export function PopupApp({ tabId }: { tabId: number | null }) {
  const [summary, setSummary] = useState<TabSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [framework, setFramework] = useState<string>('raw-headers');
  useEffect(() => {
    if (tabId === null) return;
    const t0 = performance.now();
    request('getSummary', { tabId }).then((s) => {
      setSummary(s);
      // Exposed for the e2e test and the benchmark: time from opening to data in hand.
      document.documentElement.dataset.loadedMs = String(Math.round(performance.now() - t0));
    }, (e) => setError(String(e)));
    void loadFramework().then((f) => f && setFramework(f));
  }, [tabId]);

  if (error) return <div role="alert" className="popup">CORS Lens could not reach its worker: {error}</div>;
  if (tabId === null) return <div className="popup"><EmptyState title="No tab" body="Open the popup from a tab." /></div>;
  if (!summary) return <div className="popup" aria-busy="true">Loading…</div>;
  if (summary.total === 0) {
    return (
      <div className="popup">
        <EmptyState title="Nothing captured in this tab yet"
          body="Reload the page: requests made before CORS Lens was installed, or before this tab was loaded, are not visible." />
      </div>
    );
  }
  const c = summary.counts;
  // An origin whose calls failed for another reason than CORS has top reasons too (src/report/build.ts).
  const failingGroups = summary.groups.filter((g) => g.blocked + g.hidden > 0 || g.topReasons.length > 0);
  const fwLabel = FRAMEWORKS.find((f) => f.id === framework)?.label ?? framework;
  return (
    <div className="popup">
      <h1>CORS in this tab</h1>
      <ul className="counts" aria-label="Requests by verdict">
        <li className="blocked" data-testid="count-blocked"><b>{c.blocked}</b> blocked</li>
        <li className="hidden" data-testid="count-hidden"><b>{c['allowed-hidden-headers']}</b> hidden headers</li>
        <li className="allowed" data-testid="count-allowed"><b>{c.allowed}</b> allowed</li>
      </ul>
      {failingGroups.length === 0 && <p className="ok">No CORS problems in this tab.</p>}
      {failingGroups.map((g) => (
        <Group key={g.origin} origin={g.origin} reasons={g.topReasons} failing={summary.failing.filter((e) => originOf(e.request.url) === g.origin)}
          working={(summary.working ?? []).filter((e) => originOf(e.request.url) === g.origin)}
          framework={framework} frameworkLabel={fwLabel} />
      ))}
      <p className="hint">Details, headers and every framework: open DevTools (F12, or Ctrl+Shift+I / ⌥⌘I) → <b>CORS</b> tab.</p>
    </div>
  );
}

const originOf = (url: string): string => urlOrigin(url) ?? url;

function Group({ origin, reasons, failing, working, framework, frameworkLabel }: {
  origin: string; reasons: { text: string; count: number }[]; failing: WireEntry[]; working: WireEntry[]; framework: string; frameworkLabel: string;
}) {
  // The same merged fix as the panel and the CLI: the requests that work go in too, so pasting it breaks none.
  const fix = useMemo(() => {
    try {
      return mergedFixForOrigin([...failing, ...working].map((e) => ({ request: e.request, verdict: e.verdict })), origin, framework).fix;
    } catch {
      return null;
    }
  }, [failing, working, origin, framework]);
  const oneLine = failing[0] ? explain(failing[0].request, failing[0].verdict).action : '';
  return (
    <section className="group" data-testid="group" aria-label={`Failing requests to ${origin}`}>
      <h2>{origin}</h2>
      <ul>{reasons.map((r) => <li key={r.text}>{r.text}</li>)}</ul>
      {oneLine && <p className="fix-line">{oneLine}</p>}
      {fix && <CopyButton label={framework === 'raw-headers' ? 'Copy the response headers' : `Copy ${frameworkLabel} config`} testId="copy-fix" text={() => fix.config.code} />}
    </section>
  );
}
