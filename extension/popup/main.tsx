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

// The popup has no DevTools theme to follow: it follows the system's, also when it changes while open.
const dark = matchMedia('(prefers-color-scheme: dark)');
const applyScheme = () => {
  document.documentElement.dataset.theme = dark.matches ? 'dark' : 'light';
};
applyScheme();
dark.addEventListener('change', applyScheme);
void currentTabId().then((tabId) => createRoot(document.getElementById('root')!).render(<PopupApp tabId={tabId} />));
