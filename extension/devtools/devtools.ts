// The devtools page: adds the "CORS" panel next to Network, and tells the worker DevTools was opened on the tab, which
// under the watch scope "Tabs I inspect" watches it from now on (src/capture/tab-watch.ts): a developer who opened
// DevTools on the Network panel and switches to CORS later finds the requests made in between.
import { browser } from '../platform/browser';
import { request } from '../platform/client';

// The panel path is relative to the extension root; vite.config.ts lists the page as a build input
// because crxjs cannot see a page named only here.
browser.devtools.panels
  .create('CORS', '/icons/icon-32.png', '/extension/panel/index.html')
  .catch((e) => console.error('CORS Lens: panel creation failed', e));

request('watchTab', { tabId: browser.devtools.inspectedWindow.tabId }).catch(() => {
  /* the worker is starting: the panel asks again when it opens */
});
