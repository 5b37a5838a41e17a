// The panel bench page: the real PanelApp (extension/panel/panel-app.tsx) with the worker client replaced by
// fake-client.ts, fed N synthetic entries whose verdicts come from the real engine (?n=50000).
import { createRoot } from 'react-dom/client';
import { PanelApp } from '../../../extension/panel/panel-app';
import { evaluate } from '../../../src/engine';
import type { ObservedRequest } from '../../../src/engine/types';
import type { WireEntry } from '../../../extension/protocol/messages';
import '../../../extension/ui/theme.css';

const PAGE = 'http://127.0.0.1:8101';
const API = 'http://127.0.0.1:8102';
const h = (name: string, value: string) => ({ name, value });

/** The same mix as the page bench (chromium-kit.ts): 8 simple allowed, 2 missing ACAO, 4 preflighted PUTs, 2 refused at the preflight, 3 credentialed allowed, 1 credentialed with ACAO *. */
function request(i: number): ObservedRequest {
  const k = i % 20;
  const origin = h('Origin', PAGE);
  const base = { id: String(i), initiator: PAGE, type: 'xmlhttprequest' as const, startedAt: 1_700_000_000_000 + i };
  const simple = (path: string, res: { name: string; value: string }[], ok: boolean, cred = false): ObservedRequest => {
    const url = `${API}/${path}/${i}?acao=x`;
    return { ...base, method: 'GET', url, hints: cred ? { credentials: 'include', source: 'test' } : undefined,
      exchanges: [{ kind: 'main', url, method: 'GET', requestHeaders: [origin, ...(cred ? [h('Cookie', 'a=1')] : [])], response: { status: 200, headers: [h('Content-Type', 'application/json'), ...res] }, ...(ok ? {} : { error: 'net::ERR_FAILED' }) }],
      outcome: ok ? { kind: 'completed', status: 200 } : { kind: 'error', error: 'net::ERR_FAILED' } };
  };
  if (k < 8) return simple('ok', [h('Access-Control-Allow-Origin', PAGE)], true);
  if (k < 10) return simple('zno', [], false);
  if (k < 16) {
    const ok = k < 14;
    const url = `${API}/${ok ? 'pf' : 'zpf'}/${i}`;
    const method = ok ? 'PUT' : 'PATCH';
    return { ...base, method, url,
      exchanges: [
        { kind: 'preflight', url, method: 'OPTIONS', requestHeaders: [origin, h('Access-Control-Request-Method', method), ...(ok ? [h('Access-Control-Request-Headers', 'x-api-key')] : [])],
          response: { status: 204, headers: [h('Access-Control-Allow-Origin', PAGE), h('Access-Control-Allow-Methods', ok ? 'PUT' : 'GET, POST'), h('Access-Control-Allow-Headers', 'x-api-key')] } },
        ...(ok ? [{ kind: 'main' as const, url, method, requestHeaders: [origin, h('X-Api-Key', 'k')], response: { status: 200, headers: [h('Access-Control-Allow-Origin', PAGE)] } }] : []),
      ],
      outcome: ok ? { kind: 'completed', status: 200 } : { kind: 'error', error: 'net::ERR_FAILED' } };
  }
  if (k < 19) return simple('cred', [h('Access-Control-Allow-Origin', PAGE), h('Access-Control-Allow-Credentials', 'true')], true, true);
  return simple('zcred', [h('Access-Control-Allow-Origin', '*')], false, true);
}

const n = Number(new URLSearchParams(location.search).get('n') ?? 50_000);
const entries: WireEntry[] = [];
for (let i = 0; i < n; i++) {
  const req = request(i);
  entries.push({ seq: i, request: req, verdict: evaluate(req, { browser: 'chromium' }) });
}
window.__benchSnapshot = {
  tabId: 1,
  meta: { tabId: 1, firstSeq: 0, nextSeq: n, dropped: 0, droppedForQuota: 0, preserveLog: false, blocked: entries.filter((e) => e.verdict.kind === 'blocked').length, navigations: 1, pageUrl: `${PAGE}/` },
  entries,
};
document.documentElement.dataset.theme = 'light';
createRoot(document.getElementById('root')!).render(<PanelApp tabId={1} />);
