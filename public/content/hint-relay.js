// CORS Lens hint relay (isolated world, document_start): forwards the page observer's batches of hints to the
// worker over one Port (a runtime.sendMessage per request costs the browser process more than the port). The worker takes the tab from the sender, never from the message. The port is closed after a quiet
// second, so it never keeps a worker (or Firefox's event page) alive for nothing, and reopened when needed.
(() => {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const PORT_NAME = 'cors-lens/hints/v1'; // HINT_PORT_NAME in extension/protocol/messages.ts
  const IDLE_MS = 1000;
  let batch = [];
  let scheduled = false;
  let port = null;
  let idle = 0;
  const open = () => {
    const p = api.runtime.connect({ name: PORT_NAME });
    p.onDisconnect.addListener(() => {
      if (port === p) port = null;
    });
    return p;
  };
  const flush = () => {
    scheduled = false;
    const hints = batch;
    batch = [];
    // A port whose worker just stopped throws on postMessage before its onDisconnect fired: reopen once.
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        if (!port) port = open();
        port.postMessage({ hints });
        break;
      } catch (_) {
        port = null; // extension reloaded (no retry can work) or the worker went away (the retry does)
      }
    }
    clearTimeout(idle);
    idle = setTimeout(() => {
      const p = port;
      port = null;
      try {
        if (p) p.disconnect();
      } catch (_) {
        /* already gone */
      }
    }, IDLE_MS);
  };
  // The page observer sends arrays of hints (at most 200 of at most ~8 KB each); anything else is not from it.
  document.addEventListener('cors-lens:hint', (e) => {
    if (typeof e.detail !== 'string' || e.detail.length > 2000000 || batch.length > 500) return;
    let hints;
    try {
      hints = JSON.parse(e.detail);
    } catch (_) {
      return;
    }
    if (!Array.isArray(hints)) return;
    for (const h of hints.slice(0, 500 - batch.length)) batch.push(h);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  });
})();
