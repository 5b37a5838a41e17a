// Entry of the DevTools "CORS" panel (also opens as a normal extension tab: panel/index.html?tabId=N).
import { createRoot } from 'react-dom/client';
import { browser } from '../platform/browser';
import { PanelApp } from './panel-app';
import { preconnectTab } from './use-tab-log';
import { applyTheme, followThemeChanges, initialTheme } from './theme';
import '../ui/theme.css';

function inspectedTabId(): number | null {
  const q = new URLSearchParams(location.search).get('tabId');
  if (q !== null && /^\d+$/.test(q)) return Number(q);
  return browser.devtools?.inspectedWindow?.tabId ?? null;
}

const tabId = inspectedTabId();
if (tabId !== null) preconnectTab(tabId);
applyTheme(initialTheme());
followThemeChanges();
createRoot(document.getElementById('root')!).render(<PanelApp tabId={tabId} />);
