// Entry of the DevTools "CORS" panel (also opens as a normal extension tab: panel/index.html?tabId=N).
import { createRoot } from 'react-dom/client';
import { browser } from '../platform/browser';
import { PanelApp } from './panel-app';
import { preconnectTab } from './use-tab-log';
import '../ui/theme.css';

function inspectedTabId(): number | null {
  const q = new URLSearchParams(location.search).get('tabId');
  if (q !== null && /^\d+$/.test(q)) return Number(q);
  return browser.devtools?.inspectedWindow?.tabId ?? null;
}

function theme(): 'light' | 'dark' {
  const q = new URLSearchParams(location.search).get('theme');
  if (q === 'dark' || q === 'light') return q;
  const t = (browser.devtools?.panels as { themeName?: string } | undefined)?.themeName;
  if (t === 'dark') return 'dark';
  if (t === 'default' || t === 'light') return 'light';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const tabId = inspectedTabId();
if (tabId !== null) preconnectTab(tabId);
document.documentElement.dataset.theme = theme();
createRoot(document.getElementById('root')!).render(<PanelApp tabId={tabId} />);
