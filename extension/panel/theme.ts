// Follows the DevTools theme, including a switch made while the panel is open: Chromium calls the handler given to
// chrome.devtools.panels.setThemeChangeHandler (Chrome 99+), Firefox fires devtools.panels.onThemeChanged.
import { browser } from '../platform/browser';

export type Theme = 'light' | 'dark';

/** DevTools theme names: 'default' and 'light' are light; 'dark' is dark (Chromium and Firefox both). */
export function themeOf(name: string | undefined): Theme | null {
  if (name === 'dark') return 'dark';
  if (name === 'default' || name === 'light') return 'light';
  return null;
}

export function initialTheme(): Theme {
  const q = new URLSearchParams(location.search).get('theme');
  if (q === 'dark' || q === 'light') return q;
  const t = themeOf((browser.devtools?.panels as { themeName?: string } | undefined)?.themeName);
  return t ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

export function applyTheme(t: Theme): void {
  document.documentElement.dataset.theme = t;
}

interface ChromePanels {
  setThemeChangeHandler?(cb: (name: string) => void): void;
}
interface FirefoxPanels {
  onThemeChanged?: { addListener(cb: (name: string) => void): void };
}

/** Re-themes the page whenever DevTools switches theme. */
export function followThemeChanges(): void {
  const onName = (name: string) => {
    const t = themeOf(name);
    if (t) applyTheme(t);
  };
  const chromePanels = (globalThis as { chrome?: { devtools?: { panels?: ChromePanels } } }).chrome?.devtools?.panels;
  const ffPanels = browser.devtools?.panels as FirefoxPanels | undefined;
  if (ffPanels?.onThemeChanged) ffPanels.onThemeChanged.addListener(onName);
  else if (chromePanels?.setThemeChangeHandler) chromePanels.setThemeChangeHandler(onName);
}
