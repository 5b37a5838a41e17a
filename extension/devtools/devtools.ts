// The devtools page: its only job is to add the "CORS" panel next to Network.
import { browser } from '../platform/browser';

// The panel path is relative to the extension root; vite.config.ts lists the page as a build input
// because crxjs cannot see a page named only here.
browser.devtools.panels
  .create('CORS', '/icons/icon-32.png', '/extension/panel/index.html')
  .catch((e) => console.error('CORS Lens: panel creation failed', e));
