// The panel's DevTools theme following, with the DevTools API faked: headless Firefox cannot show a DevTools toolbox
// (the Firefox e2e tests open the panel page as a tab), so devtools.panels.onThemeChanged can only fire here.
// The Chromium path is also checked for real in test/e2e/devtools-panel-layout.chromium.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (name: string) => void;
const fake = vi.hoisted(() => ({ panels: undefined as Record<string, unknown> | undefined }));
vi.mock('../../extension/platform/browser', () => ({
  browser: {
    get devtools() {
      return fake.panels && { panels: fake.panels };
    },
  },
}));
import { followThemeChanges, initialTheme } from '../../extension/panel/theme';

const theme = () => document.documentElement.dataset.theme;

beforeEach(() => {
  delete document.documentElement.dataset.theme;
});
afterEach(() => {
  fake.panels = undefined;
  delete (globalThis as { chrome?: unknown }).chrome;
});

describe('DevTools theme', () => {
  it('Firefox: follows devtools.panels.onThemeChanged, ignoring a theme name it does not know', () => {
    const listeners: Listener[] = [];
    fake.panels = { themeName: 'light', onThemeChanged: { addListener: (l: Listener) => listeners.push(l) } };
    expect(initialTheme()).toBe('light');
    followThemeChanges();
    expect(listeners).toHaveLength(1);
    listeners[0]('dark');
    expect(theme()).toBe('dark');
    listeners[0]('high-contrast');
    expect(theme()).toBe('dark');
    listeners[0]('light');
    expect(theme()).toBe('light');
  });

  it("Firefox's onThemeChanged wins over a Chromium-style handler (the polyfill's chrome global can carry both)", () => {
    const listeners: Listener[] = [];
    const setThemeChangeHandler = vi.fn();
    fake.panels = { onThemeChanged: { addListener: (l: Listener) => listeners.push(l) } };
    (globalThis as { chrome?: unknown }).chrome = { devtools: { panels: { setThemeChangeHandler } } };
    followThemeChanges();
    expect(listeners).toHaveLength(1);
    expect(setThemeChangeHandler).not.toHaveBeenCalled();
  });

  it('Chromium: follows the handler given to setThemeChangeHandler', () => {
    let handler: Listener | undefined;
    fake.panels = {};
    (globalThis as { chrome?: unknown }).chrome = {
      devtools: {
        panels: {
          setThemeChangeHandler: (h: Listener) => {
            handler = h;
          },
        },
      },
    };
    followThemeChanges();
    handler!('dark');
    expect(theme()).toBe('dark');
    handler!('default');
    expect(theme()).toBe('light');
  });
});
