// Stand-in for extension/platform/browser.ts in the panel bench page: a plain web page has no WebExtension API
// (webextension-polyfill throws when loaded outside an extension). Only what the panel reads is provided.
import type { BrowserName } from '../../../src/engine/types';

export const browserName: BrowserName = 'chromium';
export const EXTRA_HEADERS = false;
export const browser = {
  runtime: { id: 'bench', getURL: (p: string) => p, getManifest: () => ({ version: '0.0.0' }) },
  storage: { local: { get: async () => ({}), set: async () => {} } },
  // Site access as on a watched site: the panel shows the log, not the no-access notice.
  permissions: {
    contains: async () => true,
    getAll: async () => ({ origins: ['<all_urls>'], permissions: [] }),
    onAdded: { addListener: () => {}, removeListener: () => {} },
    onRemoved: { addListener: () => {}, removeListener: () => {} },
  },
  tabs: { get: async () => ({ url: location.href }), reload: async () => {} },
  devtools: undefined,
} as const;
