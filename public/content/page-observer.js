// CORS Lens page observer (MAIN world, document_start). Learns what the network cannot show — each fetch()'s
// mode and credentials mode, each XHR's withCredentials — and hands it to the isolated relay as a string event.
// It never changes what fetch/XHR do: it reads the arguments and calls the original with the same `this`.
// Plain JavaScript on purpose: bundlers wrap content scripts in loaders that need extension APIs, which the
// page's world does not have (crxjs issue #695).
(() => {
  'use strict';
  const EVENT = 'cors-lens:hint';
  if (window.__corsLensObserver) return;
  Object.defineProperty(window, '__corsLensObserver', { value: true });
  // Hints leave in batches, one event per batch: at the end of the task in a quiet moment, then at most one batch per
  // BATCH_MS while the page keeps calling (bench "page": an event and a port message per request cost the renderer
  // and the browser process more than the batch). A hint that arrives after its request finished still counts: the
  // worker re-diagnoses that request.
  const BATCH_MS = 25;
  // The originals, taken at document_start before any page script: a page that patches timers (zone.js does, to run
  // Angular's change detection after each callback) must not see ours.
  const later = window.setTimeout.bind(window);
  const soon = window.queueMicrotask.bind(window);
  const now = performance.now.bind(performance);
  const MAX_BATCH = 200;
  let batch = [];
  let scheduled = false;
  let lastFlush = -Infinity;
  const flush = () => {
    scheduled = false;
    if (batch.length === 0) return; // a full batch already went out
    lastFlush = now();
    const hints = batch;
    batch = [];
    try {
      document.dispatchEvent(new CustomEvent(EVENT, { detail: JSON.stringify(hints) }));
    } catch (_) { /* never break the page */ }
  };
  const emit = (hint) => {
    // No hint for a URL this long (it would make the batch heavy); the request is still diagnosed from the network.
    if (hint.url.length > 8000) return;
    batch.push(hint);
    if (batch.length >= MAX_BATCH) { flush(); return; }
    if (scheduled) return;
    scheduled = true;
    const wait = lastFlush + BATCH_MS - now();
    if (wait <= 0) soon(flush); else later(flush, wait);
  };
  const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
  // fetch() and XHR uppercase only these methods (Fetch "normalize a method").
  const normalize = (m) => {
    const s = String(m);
    const u = s.toUpperCase();
    return NORMALIZED.includes(u) ? u : s;
  };
  const abs = (u) => {
    try { return new URL(String(u), document.baseURI).href; } catch (_) { return String(u); }
  };
  // Same-origin calls are never diagnosed (unless a redirect leaves the origin, which is rare and then diagnosed
  // without the hint): sending their hints would only make the worker search for requests it never keeps.
  const ORIGIN = location.origin;
  const sameOrigin = (href) => href.startsWith(ORIGIN + '/') || href === ORIGIN;

  const origFetch = window.fetch;
  if (typeof origFetch === 'function') {
    const wrapped = function fetch(input, init) {
      try {
        const req = typeof Request === 'function' && input instanceof Request ? input : null;
        const url = abs(req ? req.url : input);
        if (!sameOrigin(url)) emit({
          api: 'fetch',
          url,
          method: normalize((init && init.method) || (req && req.method) || 'GET'),
          mode: (init && init.mode) || (req && req.mode) || 'cors',
          credentials: (init && init.credentials) || (req && req.credentials) || 'same-origin',
          t: Date.now(),
        });
      } catch (_) { /* never break the page */ }
      return origFetch.apply(this, arguments);
    };
    Object.defineProperty(wrapped, 'toString', { value: () => origFetch.toString() });
    window.fetch = wrapped;
  }

  const XHR = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (XHR) {
    const calls = new WeakMap();
    const origOpen = XHR.open;
    const origSend = XHR.send;
    XHR.open = function open(method, url) {
      try { calls.set(this, { method: normalize(method), url: abs(url) }); } catch (_) { /* ignore */ }
      return origOpen.apply(this, arguments);
    };
    XHR.send = function send() {
      try {
        const c = calls.get(this);
        if (c && !sameOrigin(c.url)) emit({ api: 'xhr', url: c.url, method: c.method, mode: 'cors', credentials: this.withCredentials ? 'include' : 'same-origin', t: Date.now() });
      } catch (_) { /* ignore */ }
      return origSend.apply(this, arguments);
    };
  }
})();
