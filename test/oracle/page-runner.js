// Browser side of the oracle recorder (served by scenario-server.ts to the page on origin A): performs each
// scenario's calls (fetch / XHR / <img> / <script>) and reports what script could observe — success or error,
// status, response type and the response header names script could read.
(() => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const CALL_TIMEOUT_MS = 20000;

  function makeBody(spec) {
    if (!spec) return undefined;
    switch (spec.kind) {
      case 'text':
        return spec.text;
      case 'url-search-params':
        return new URLSearchParams(spec.text);
      case 'form-data': {
        const fd = new FormData();
        for (const [k, v] of spec.fields) fd.append(k, v);
        return fd;
      }
      case 'blob':
        return new Blob([spec.text], { type: spec.type });
    }
    return undefined;
  }

  async function doFetch(call, url) {
    const init = {};
    if (call.method) init.method = call.method;
    if (call.headers) {
      // Headers.append keeps duplicates the way the page wrote them ("text/plain, text/plain").
      const list = [];
      for (const [k, v] of call.headers) list.push([k, v]);
      init.headers = list;
    }
    const body = makeBody(call.body);
    if (body !== undefined) init.body = body;
    if (call.mode) init.mode = call.mode;
    if (call.credentials) init.credentials = call.credentials;
    if (call.redirect) init.redirect = call.redirect;
    if (call.targetAddressSpace) init.targetAddressSpace = call.targetAddressSpace;
    const res = await fetch(url, init);
    try {
      await res.text();
    } catch {
      /* opaque or aborted body */
    }
    return { ok: true, status: res.status, type: res.type, readable: [...res.headers.keys()], finalUrl: res.url };
  }

  function doXhr(call, url) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      try {
        xhr.open(call.method || 'GET', url);
        if (call.withCredentials) xhr.withCredentials = true;
        for (const [k, v] of call.headers || []) xhr.setRequestHeader(k, v);
        // An upload listener registered before send() sets XHR's upload listener flag (forced preflight).
        if (call.uploadListener) xhr.upload.addEventListener('progress', () => {});
        xhr.onload = () => {
          const readable = xhr
            .getAllResponseHeaders()
            .trim()
            .split(/\r?\n/)
            .filter(Boolean)
            .map((line) => line.slice(0, line.indexOf(':')).trim().toLowerCase());
          resolve({ ok: true, status: xhr.status, type: 'xhr', readable, finalUrl: xhr.responseURL });
        };
        xhr.onerror = () => resolve({ ok: false, error: 'XMLHttpRequest error event', errorName: 'error' });
        xhr.send(call.body === undefined ? null : call.body);
      } catch (e) {
        resolve({ ok: false, error: String(e && e.message ? e.message : e), errorName: e && e.name });
      }
    });
  }

  function doElement(call, url) {
    return new Promise((resolve) => {
      const el = call.api === 'img' ? new Image() : document.createElement('script');
      if (call.crossorigin) el.crossOrigin = call.crossorigin;
      el.onload = () => {
        el.remove();
        resolve({ ok: true, type: call.api });
      };
      el.onerror = () => {
        el.remove();
        resolve({ ok: false, error: `${call.api} error event`, errorName: 'error' });
      };
      el.src = url;
      if (call.api === 'script') document.head.appendChild(el);
    });
  }

  async function runCall(call, url) {
    const work =
      call.api === 'fetch' ? doFetch(call, url) : call.api === 'xhr' ? doXhr(call, url) : doElement(call, url);
    const timeout = sleep(CALL_TIMEOUT_MS).then(() => ({ ok: false, error: 'timeout', errorName: 'timeout' }));
    return Promise.race([work, timeout]);
  }

  async function mark(sid, i, b) {
    try {
      await fetch(`/mark?sid=${encodeURIComponent(sid)}&i=${i}&b=${b}`);
    } catch {
      /* ignore */
    }
  }

  // job: { sid, url, b, calls: PageCall[] }. Calls of one scenario run one after the other, each announced
  // to the server by a /mark request so the recorder can split the server log and console per call.
  async function runJob(job) {
    const results = [];
    for (let i = 0; i < job.calls.length; i++) {
      await mark(job.sid, i, job.b);
      const t0 = Date.now();
      let res;
      try {
        res = await runCall(job.calls[i], job.url);
      } catch (e) {
        res = { ok: false, error: String(e && e.message ? e.message : e), errorName: e && e.name };
      }
      res.secure = window.isSecureContext;
      res.t0 = t0;
      res.t1 = Date.now();
      results.push(res);
      // Let the browser finish logging this call before the next one starts (console attribution).
      if (i < job.calls.length - 1) await sleep(400);
    }
    await mark(job.sid, 'end', job.b);
    return results;
  }

  window.__oracleBatch = async (jobs, concurrency) => {
    const out = new Array(jobs.length);
    let next = 0;
    async function worker() {
      while (next < jobs.length) {
        const k = next++;
        out[k] = await runJob(jobs[k]);
      }
    }
    const workers = [];
    for (let w = 0; w < Math.min(concurrency, jobs.length); w++) workers.push(worker());
    await Promise.all(workers);
    return out;
  };
})();
