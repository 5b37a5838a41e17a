// CORS Lens hint relay (isolated world, document_start): forwards the page observer's hints to the worker in
// small batches. The worker takes the tab from the sender, never from the message.
(() => {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  let batch = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const hints = batch;
    batch = [];
    try {
      const p = api.runtime.sendMessage({ source: 'cors-lens', protocol: 1, name: 'pageHints', args: { hints } });
      if (p && typeof p.catch === 'function') p.catch(() => {});
    } catch (_) { /* extension reloaded: nothing to do */ }
  };
  document.addEventListener('cors-lens:hint', (e) => {
    if (typeof e.detail !== 'string' || e.detail.length > 10000 || batch.length > 500) return;
    try { batch.push(JSON.parse(e.detail)); } catch (_) { return; }
    if (!scheduled) { scheduled = true; queueMicrotask(flush); }
  });
})();
