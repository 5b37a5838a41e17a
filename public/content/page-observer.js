// CORS Lens page observer (MAIN world, document_start). Learns what the network cannot show — each fetch()'s
// mode and credentials mode, each XHR's withCredentials, the calls the page saw fail (and the CSP violation or the
// abort behind them) — and hands it to the isolated relay as a string event.
// It never changes what fetch/XHR do: it reads the arguments and calls the original with the same `this`; the
// promise it returns settles with the original's value or error.
// Plain JavaScript on purpose: bundlers wrap content scripts in loaders that need extension APIs, which the
// page's world does not have (the @crxjs/vite-plugin loader).
(() => {
  'use strict';
  const EVENT = 'cors-lens:hint';
  if (window.__corsLensObserver) return;
  // The user may have turned wrapping off (extension/platform/page-observer-mode.ts): observer-unwrapped.js either ran
  // first and left this flag, or runs next and calls unwrap(). Either way no page script ever sees a wrapper.
  let wraps = !window.__corsLensUnwrapped;
  const restore = [];
  Object.defineProperty(window, '__corsLensObserver', {
    value: Object.freeze({
      unwrap: () => {
        wraps = false;
        for (const r of restore.splice(0)) r();
      },
    }),
  });
  // Hints leave in batches, one event per batch: at the end of the task in a quiet moment, then at most one batch per
  // BATCH_MS while the page keeps calling (an event and a port message per request cost the renderer and the
  // browser process more than the batch). A hint that arrives after its request finished still counts: the
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
    } catch (_) {
      /* never break the page */
    }
  };
  const emit = (hint) => {
    // No hint for a URL this long (it would make the batch heavy); the request is still diagnosed from the network.
    if (hint.url.length > 8000) return;
    batch.push(hint);
    if (batch.length >= MAX_BATCH) {
      flush();
      return;
    }
    if (scheduled) return;
    scheduled = true;
    const wait = lastFlush + BATCH_MS - now();
    if (wait <= 0) soon(flush);
    else later(flush, wait);
  };
  const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
  // fetch() and XHR uppercase only these methods (Fetch "normalize a method").
  const normalize = (m) => {
    const s = String(m);
    const u = s.toUpperCase();
    return NORMALIZED.includes(u) ? u : s;
  };
  const abs = (u) => {
    try {
      return new URL(String(u), document.baseURI).href;
    } catch (_) {
      return String(u);
    }
  };
  // Same-origin calls are never diagnosed (unless a redirect leaves the origin, which is rare and then diagnosed
  // without the hint): sending their hints would only make the worker search for requests it never keeps.
  const ORIGIN = location.origin;
  const sameOrigin = (href) => href.startsWith(ORIGIN + '/') || href === ORIGIN;

  // --- Calls that fail in the page. The browser refuses some before any request exists (the page's CSP, mixed
  // content, CORS errors raised in the renderer): the network never sees them, so their failure is the only record.
  const FAILURE_DELAY_MS = 50; // securitypolicyviolation is dispatched as a task after the call was refused
  const violations = []; // recent CSP violations: {uri, directive, policy, t}
  document.addEventListener(
    'securitypolicyviolation',
    (e) => {
      try {
        const v = {
          uri: String(e.blockedURI || ''),
          directive: String(e.effectiveDirective || e.violatedDirective || ''),
          policy: String(e.originalPolicy || '').slice(0, 2000),
          t: now(),
        };
        violations.push(v);
        if (violations.length > 50) violations.shift();
        // Unwrapped, no call is seen: the violation alone makes the row (a connect-src block is a fetch/XHR call
        // whose method and mode are unknown; GET and cors are the defaults).
        if (!wraps && v.directive === 'connect-src' && /^https?:/.test(v.uri) && !sameOrigin(v.uri)) {
          emit({
            api: 'fetch',
            url: v.uri,
            method: 'GET',
            mode: 'cors',
            credentials: 'same-origin',
            t: Date.now(),
            secureContext: window.isSecureContext,
            failure: {
              name: 'TypeError',
              message: 'blocked by Content-Security-Policy',
              csp: { directive: v.directive, policy: v.policy },
              networkless: true,
            },
          });
        }
      } catch (_) {
        /* never break the page */
      }
    },
    true,
  );
  const violationFor = (url, since) => {
    for (let i = violations.length - 1; i >= 0; i--) {
      const v = violations[i];
      if (v.t + 1 < since || !v.uri) continue;
      // Chromium reports the full URL, or only its origin after a cross-origin redirect (CSP "strip URL for reports").
      if (url === v.uri || url.startsWith(v.uri.endsWith('/') ? v.uri : v.uri + '/') || url.split('#')[0] === v.uri)
        return v;
    }
    return null;
  };
  const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
  const PRIVATE = /^(10(\.\d{1,3}){3}|192\.168(\.\d{1,3}){2}|172\.(1[6-9]|2\d|3[01])(\.\d{1,3}){2}|.*\.local)$/i;
  // https://w3c.github.io/webappsec-mixed-content/: an https page may not fetch a plain-http URL that is not
  // potentially trustworthy (Chromium exempts private addresses and .local names for Local Network Access).
  const mixed = (u) =>
    location.protocol === 'https:' &&
    (u.protocol === 'http:' || u.protocol === 'ws:') &&
    !LOOPBACK.test(u.hostname) &&
    !PRIVATE.test(u.hostname);
  /** Whether the browser refused the call before any request existed (no webRequest event will come). */
  const networkless = (url, c, csp) => {
    if (csp) return true;
    let u;
    try {
      u = new URL(url);
    } catch (_) {
      return true;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return true; // CorsDisabledScheme
    if (mixed(u)) return true;
    if (c.mode === 'same-origin' && u.origin !== ORIGIN) return true; // DisallowedByMode
    if (c.mode === 'no-cors' && c.redirect && c.redirect !== 'follow') return true; // NoCorsRedirectModeNotFollow
    return false;
  };
  const reportFailure = (c, name, message, started) => {
    const afterMs = now() - started;
    later(() => {
      try {
        const v = violationFor(c.url, started);
        const failure = { name: String(name).slice(0, 64), message: String(message || '').slice(0, 300), afterMs };
        if (v) failure.csp = { directive: v.directive.slice(0, 200), policy: v.policy };
        failure.networkless = networkless(c.url, c, v);
        emit({ ...c, failure });
      } catch (_) {
        /* never break the page */
      }
    }, FAILURE_DELAY_MS);
  };

  const origFetch = window.fetch;
  const then = Promise.prototype.then;
  if (wraps && typeof origFetch === 'function') {
    const wrapped = function fetch(input, init) {
      let call = null;
      let started = 0;
      try {
        const req = typeof Request === 'function' && input instanceof Request ? input : null;
        const url = abs(req ? req.url : input);
        if (!sameOrigin(url)) {
          call = {
            api: 'fetch',
            url,
            method: normalize((init && init.method) || (req && req.method) || 'GET'),
            mode: (init && init.mode) || (req && req.mode) || 'cors',
            credentials: (init && init.credentials) || (req && req.credentials) || 'same-origin',
            t: Date.now(),
            secureContext: window.isSecureContext,
          };
          const redirect = (init && init.redirect) || (req && req.redirect);
          if (redirect === 'manual' || redirect === 'error') call.redirect = redirect;
          const tas = (init && init.targetAddressSpace) || (req && req.targetAddressSpace);
          if (typeof tas === 'string') call.targetAddressSpace = tas;
          started = now();
          emit(call);
        }
      } catch (_) {
        /* never break the page */
      }
      const p = origFetch.apply(this, arguments);
      if (!call) return p;
      // The page gets a promise that settles exactly like the original (same value, same error, still reported as
      // unhandled if the page ignores it); on the way the error is noted.
      const c = call;
      return then.call(p, undefined, (err) => {
        try {
          reportFailure(c, err && err.name, err && err.message, started);
        } catch (_) {
          /* never break the page */
        }
        throw err;
      });
    };
    Object.defineProperty(wrapped, 'toString', { value: () => origFetch.toString() });
    window.fetch = wrapped;
    restore.push(() => {
      if (window.fetch === wrapped) window.fetch = origFetch;
    });
  }

  const XHR = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (wraps && XHR) {
    const calls = new WeakMap();
    const origOpen = XHR.open;
    const origSend = XHR.send;
    XHR.open = function open(method, url) {
      try {
        calls.set(this, { method: normalize(method), url: abs(url) });
      } catch (_) {
        /* ignore */
      }
      return origOpen.apply(this, arguments);
    };
    const listen = XHR.addEventListener;
    XHR.send = function send() {
      try {
        const c = calls.get(this);
        if (c && !sameOrigin(c.url)) {
          const call = {
            api: 'xhr',
            url: c.url,
            method: c.method,
            mode: 'cors',
            credentials: this.withCredentials ? 'include' : 'same-origin',
            t: Date.now(),
            secureContext: window.isSecureContext,
          };
          emit(call);
          const started = now();
          // Listeners only observe: the page's own handlers run as before.
          for (const type of ['error', 'abort', 'timeout'])
            listen.call(this, type, () => reportFailure(call, type, '', started), { once: true });
        }
      } catch (_) {
        /* ignore */
      }
      return origSend.apply(this, arguments);
    };
    const open1 = XHR.open;
    const send1 = XHR.send;
    restore.push(() => {
      if (XHR.open === open1) XHR.open = origOpen;
      if (XHR.send === send1) XHR.send = origSend;
    });
  }
})();
