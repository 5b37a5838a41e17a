// "Is CORS breaking this page, and where?" — counts and failing groups for the current tab.
import { useEffect, useState } from 'react';
import { request } from '../platform/client';
import type { TabSnapshot } from '../protocol/messages';
import { EmptyState } from '../ui/empty-state';
import { shortReason } from '../ui/describe';
import './popup.css';

export function PopupApp({ tabId }: { tabId: number | null }) {
  const [snap, setSnap] = useState<TabSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (tabId === null) return;
    request('getTabLog', { tabId }).then(setSnap, (e) => setError(String(e)));
  }, [tabId]);
  if (error) return <div role="alert" className="popup">{error}</div>;
  if (tabId === null) return <EmptyState title="No tab" body="Open the popup from a tab." />;
  if (!snap) return <div className="popup" aria-busy="true">Loading…</div>;
  const counts = { blocked: 0, hidden: 0, allowed: 0 };
  const groups = new Map<string, Map<string, number>>();
  for (const e of snap.entries) {
    const k = e.verdict.kind;
    if (k === 'blocked') counts.blocked++;
    else if (k === 'allowed-hidden-headers') counts.hidden++;
    else if (k === 'allowed') counts.allowed++;
    if (k === 'blocked' || k === 'allowed-hidden-headers') {
      let origin = e.request.url;
      try { origin = new URL(e.request.url).origin; } catch {}
      const g = groups.get(origin) ?? new Map<string, number>();
      const r = shortReason(e.verdict);
      g.set(r, (g.get(r) ?? 0) + 1);
      groups.set(origin, g);
    }
  }
  if (snap.entries.length === 0) {
    return <div className="popup"><EmptyState title="Nothing captured in this tab" body="Reload the page: requests made before CORS Lens started are not visible." /></div>;
  }
  return (
    <div className="popup">
      <h1>CORS in this tab</h1>
      <ul className="counts" aria-label="Counts">
        <li className="blocked" data-testid="count-blocked"><b>{counts.blocked}</b> blocked</li>
        <li className="hidden" data-testid="count-hidden"><b>{counts.hidden}</b> hidden headers</li>
        <li className="allowed" data-testid="count-allowed"><b>{counts.allowed}</b> allowed</li>
      </ul>
      {[...groups].map(([origin, reasons]) => (
        <section key={origin} className="group" data-testid="group">
          <h2>{origin}</h2>
          <ul>{[...reasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => <li key={r}>{n} × {r}</li>)}</ul>
        </section>
      ))}
    </div>
  );
}
