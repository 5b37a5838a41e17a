// A realistic mix of cross-origin requests a page makes, shared by the capture e2e tests in both browsers:
// allowed, blocked at the preflight, blocked on the response, credentialed, redirected, XHR and fetch,
// images with crossorigin. Each call is tagged with a unique URL so verdicts can be matched per request.
export interface MixCall {
  name: string;
  kind: 'fetch' | 'xhr' | 'img';
  url: string;
  init?: {
    method?: string;
    headers?: Record<string, string>;
    credentials?: 'include' | 'omit' | 'same-origin';
    mode?: 'cors' | 'no-cors';
    body?: string;
  };
  withCredentials?: boolean;
  crossOrigin?: 'anonymous' | 'use-credentials';
}

export function mixCalls(page: string, api: string, api2: string): MixCall[] {
  const P = encodeURIComponent(page);
  return [
    { name: 'allowed-get', kind: 'fetch', url: `${api}/m/allowed?acao=${P}` },
    { name: 'allowed-star', kind: 'fetch', url: `${api}/m/star?acao=*` },
    { name: 'missing-acao', kind: 'fetch', url: `${api}/m/missing` },
    {
      name: 'acao-mismatch',
      kind: 'fetch',
      url: `${api}/m/mismatch?acao=${encodeURIComponent('http://evil.example')}`,
    },
    { name: 'trailing-slash', kind: 'fetch', url: `${api}/m/slash?acao=${encodeURIComponent(page + '/')}` },
    { name: 'two-acao-lines', kind: 'fetch', url: `${api}/m/two?acao=${P}&acao=${P}` },
    { name: 'cred-star', kind: 'fetch', url: `${api}/m/credstar?acao=*`, init: { credentials: 'include' } },
    { name: 'cred-no-acac', kind: 'fetch', url: `${api}/m/credacac?acao=${P}`, init: { credentials: 'include' } },
    { name: 'cred-ok', kind: 'fetch', url: `${api}/m/credok?acao=${P}&acac=true`, init: { credentials: 'include' } },
    {
      name: 'preflight-header-rejected',
      kind: 'fetch',
      url: `${api}/m/pfhdr?pf_acao=${P}&pf_acam=PUT&pf_acah=content-type&acao=${P}`,
      init: { method: 'PUT', headers: { 'X-Api-Key': 'k' } },
    },
    // Several refused headers: Chromium names the one that sorts last, whatever order the page set them in.
    {
      name: 'preflight-three-headers-rejected',
      kind: 'fetch',
      url: `${api}/m/pfhdr3?pf_acao=${P}&pf_acam=PUT&pf_acah=content-type&acao=${P}`,
      init: { method: 'PUT', headers: { 'X-Zeta': '1', 'x-alpha': '1', 'X-Mid': '1' } },
    },
    {
      name: 'preflight-method-rejected',
      kind: 'fetch',
      url: `${api}/m/pfmeth?pf_acao=${P}&pf_acam=GET,POST&acao=${P}`,
      init: { method: 'PATCH' },
    },
    {
      name: 'preflight-401',
      kind: 'fetch',
      url: `${api}/m/pf401?pf_acao=${P}&pf_status=401&pf_acam=DELETE&acao=${P}`,
      init: { method: 'DELETE' },
    },
    {
      name: 'preflight-no-acao',
      kind: 'fetch',
      url: `${api}/m/pfnoacao?pf_status=204&acao=${P}`,
      init: { method: 'PUT' },
    },
    {
      name: 'preflight-ok',
      kind: 'fetch',
      url: `${api}/m/pfok?pf_acao=${P}&pf_acam=PUT&pf_acah=x-api-key&acao=${P}`,
      init: { method: 'PUT', headers: { 'X-Api-Key': 'k' } },
    },
    {
      name: 'json-post-ok',
      kind: 'fetch',
      url: `${api}/m/json?pf_acao=${P}&pf_acah=content-type&acao=${P}`,
      init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    },
    { name: 'hidden-header', kind: 'fetch', url: `${api}/m/hidden?acao=${P}&hdr=X-Request-Id:abc` },
    {
      name: 'redirect-ok',
      kind: 'fetch',
      url: `${api}/m/redir?acao=*&redirect=${encodeURIComponent(`${api2}/m/target?acao=*`)}`,
    },
    {
      name: 'redirect-no-acao-on-hop',
      kind: 'fetch',
      url: `${api}/m/redir2?redirect=${encodeURIComponent(`${api2}/m/target2?acao=*`)}`,
    },
    {
      name: 'redirect-taint-origin',
      kind: 'fetch',
      url: `${api}/m/redir3?acao=${P}&redirect=${encodeURIComponent(`${api2}/m/target3?acao=${P}`)}`,
    },
    // A 307/308 to another origin needs a new preflight there (Origin: null); when it fails, the hop it preflights is never sent.
    {
      name: 're-preflight-fails-after-307',
      kind: 'fetch',
      url: `${api}/m/rp1?pf_acao=${P}&pf_acam=PUT&acao=${P}&rstatus=307&redirect=${encodeURIComponent(`${api2}/m/rp1-target?acao=*`)}`,
      init: { method: 'PUT', body: 'x' },
    },
    {
      name: 're-preflight-fails-at-second-308',
      kind: 'fetch',
      url: `${api}/m/rp2?pf_acao=${P}&pf_acam=PUT&acao=${P}&rstatus=308&redirect=${encodeURIComponent(`${api2}/m/rp2-hop?pf_acao=*&pf_acam=PUT&acao=*&rstatus=308&redirect=${encodeURIComponent(`${api}/m/rp2-target?acao=*`)}`)}`,
      init: { method: 'PUT', body: 'x' },
    },
    {
      name: 're-preflight-ok-after-307',
      kind: 'fetch',
      url: `${api}/m/rp3?pf_acao=${P}&pf_acam=PUT&acao=${P}&rstatus=307&redirect=${encodeURIComponent(`${api2}/m/rp3-target?pf_acao=*&pf_acam=PUT&acao=*`)}`,
      init: { method: 'PUT', body: 'x' },
    },
    { name: 'xhr-allowed', kind: 'xhr', url: `${api}/m/xhrok?acao=${P}` },
    { name: 'xhr-blocked', kind: 'xhr', url: `${api}/m/xhrbad` },
    { name: 'xhr-cred-star', kind: 'xhr', url: `${api}/m/xhrcred?acao=*`, withCredentials: true },
    { name: 'img-crossorigin-ok', kind: 'img', url: `${api}/m/img-ok?acao=*`, crossOrigin: 'anonymous' },
    { name: 'img-crossorigin-blocked', kind: 'img', url: `${api}/m/img-bad`, crossOrigin: 'anonymous' },
    { name: 'no-cors-fetch', kind: 'fetch', url: `${api}/m/nocors`, init: { mode: 'no-cors' } },
  ];
}

/** Runs in the page: performs every call, sequentially, and reports what script saw. */
export const runMixInPage = async (calls: MixCall[]): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  for (const c of calls) {
    try {
      if (c.kind === 'fetch') {
        const r = await fetch(c.url, c.init as RequestInit);
        await r.text();
        out[c.name] = `ok ${r.type}`;
      } else if (c.kind === 'xhr') {
        out[c.name] = await new Promise((resolve) => {
          const x = new XMLHttpRequest();
          x.open('GET', c.url);
          x.withCredentials = !!c.withCredentials;
          x.onload = () => resolve('ok');
          x.onerror = () => resolve('error');
          x.send();
        });
      } else {
        out[c.name] = await new Promise((resolve) => {
          const img = new Image();
          if (c.crossOrigin) img.crossOrigin = c.crossOrigin;
          img.onload = () => resolve('ok');
          img.onerror = () => resolve('error');
          img.src = c.url;
        });
      }
    } catch (e) {
      out[c.name] = `error ${String(e)}`;
    }
  }
  return out;
};
