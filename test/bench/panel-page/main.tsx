// The panel bench page: the real PanelApp (extension/panel/panel-app.tsx) with the worker client replaced by
// fake-client.ts, fed N synthetic entries whose verdicts come from the real engine (?n=50000).
import { createRoot } from 'react-dom/client';
import { PanelApp } from '../../../extension/panel/panel-app';
import { evaluate } from '../../../src/engine';
import { PAGE, request } from './entries';
import type { WireEntry } from '../../../extension/protocol/messages';
import '../../../extension/ui/theme.css';

const n = Number(new URLSearchParams(location.search).get('n') ?? 50_000);
const entries: WireEntry[] = [];
for (let i = 0; i < n; i++) {
  const req = request(i);
  entries.push({ seq: i, request: req, verdict: evaluate(req, { browser: 'chromium' }) });
}
window.__benchSnapshot = {
  tabId: 1,
  meta: {
    tabId: 1,
    firstSeq: 0,
    nextSeq: n,
    dropped: 0,
    droppedForQuota: 0,
    preserveLog: false,
    blocked: entries.filter((e) => e.verdict.kind === 'blocked').length,
    navigations: 1,
    pageUrl: `${PAGE}/`,
  },
  entries,
};
document.documentElement.dataset.theme = 'light';
createRoot(document.getElementById('root')!).render(<PanelApp tabId={1} />);
