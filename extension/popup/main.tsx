// Entry of the toolbar popup (also opens as a tab: popup/index.html?tabId=N for tests).
import { createRoot } from 'react-dom/client';
import { browser } from '../platform/browser';
import { PopupApp } from './popup-app';
import '../ui/theme.css';

async function currentTabId(): Promise<number | null> {
  const q = new URLSearchParams(location.search).get('tabId');
  if (q !== null && /^\d+$/.test(q)) return Number(q);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

document.documentElement.dataset.theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
void currentTabId().then((tabId) => createRoot(document.getElementById('root')!).render(<PopupApp tabId={tabId} />));
