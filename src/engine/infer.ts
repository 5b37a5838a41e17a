// Inferring what the network does not show: the request's mode and credentials mode (Fetch: request's mode,
// credentials mode),
// each with a confidence and the evidence it rests on.
import {
  S_ACCEPT_ENCODING,
  S_ACRM,
  S_AUTHORIZATION,
  S_CONNECTION,
  S_COOKIE,
  S_HOST,
  S_ORIGIN,
  S_SEC_FETCH_MODE,
} from './header-names';
import { HeaderIndex } from './headers';
import { parseRequestHeaderList } from './preflight-needed';
import type {
  Confidence,
  CredentialsMode,
  Exchange,
  Inference,
  ObservedRequest,
  RequestHints,
  RequestMode,
} from './types';

const HINT_CONFIDENCE: Record<RequestHints['source'], Confidence> = {
  cdp: 'certain',
  'page-observer': 'certain',
  test: 'certain',
  user: 'certain',
  har: 'likely',
};

const MODES = new Set<RequestMode>(['cors', 'no-cors', 'same-origin', 'navigate', 'websocket']);
const CREDENTIALS = new Set<CredentialsMode>(['omit', 'same-origin', 'include']);
/** webRequest types that load without CORS unless the element has a `crossorigin` attribute. */
const ELEMENT_TYPES = new Set(['image', 'script', 'stylesheet', 'media', 'object', 'ping', 'csp_report']);

export interface Inferred<T> {
  value: T;
  inference: Inference;
}

/** A CORS preflight: OPTIONS with Access-Control-Request-Method (Fetch, CORS-preflight fetch step 1). */
export function isPreflightExchange(ex: Exchange): boolean {
  if (ex.kind === 'preflight') return true;
  if (ex.method !== 'OPTIONS' || !ex.requestHeaders) return false;
  return new HeaderIndex(ex.requestHeaders).hasSlot(S_ACRM);
}

export interface ModeEvidence {
  /** Main (non-preflight) exchanges with their header indexes. */
  mains: Array<{ ex: Exchange; req: HeaderIndex | null; crossOrigin: boolean }>;
  preflightSeen: boolean;
}

// Module functions, not per-call closures: both inferences run for every request.
function mk(value: RequestMode, confidence: Confidence, because: string): Inferred<RequestMode> {
  return { value, inference: { what: 'mode', value, confidence, because } };
}

function mkCred(value: CredentialsMode, confidence: Confidence, because: string): Inferred<CredentialsMode> {
  return { value, inference: { what: 'credentials', value, confidence, because } };
}

export function inferMode(req: ObservedRequest, ev: ModeEvidence): Inferred<RequestMode> {
  const hint = req.hints;
  if (hint && hint.mode && MODES.has(hint.mode)) {
    return {
      value: hint.mode,
      inference: {
        what: 'mode',
        value: hint.mode,
        confidence: HINT_CONFIDENCE[hint.source] ?? 'likely',
        because: `told by ${hint.source}`,
      },
    };
  }
  if (ev.preflightSeen)
    return mk('cors', 'certain', 'a CORS preflight (OPTIONS with Access-Control-Request-Method) was sent for it');
  for (let i = 0; i < ev.mains.length; i++) {
    const m = ev.mains[i];
    const sfm = m.req?.value(S_SEC_FETCH_MODE);
    if (sfm && MODES.has(sfm as RequestMode)) return mk(sfm as RequestMode, 'certain', `Sec-Fetch-Mode: ${sfm}`);
  }
  const type = req.type;
  if (type === 'main_frame' || type === 'sub_frame') return mk('navigate', 'certain', `resource type ${type}`);
  if (type === undefined || type === 'other') {
    const nav = navigationSigns(ev.mains[0]);
    if (nav) return mk('navigate', 'likely', nav);
  }
  if (type === 'websocket') return mk('websocket', 'certain', 'resource type websocket');
  const scheme = typeof req.url === 'string' ? req.url.slice(0, 6).toLowerCase() : '';
  if (scheme.startsWith('ws:') || scheme.startsWith('wss:')) return mk('websocket', 'certain', 'ws(s): URL');
  // A cross-origin hop whose request headers we saw on the wire: is there an Origin header? Headers recorded by
  // the renderer for a request that got no response (Chrome's "provisional headers", Playwright's recordHar) lack
  // Origin, Host, Accept-Encoding and Connection alike, so they say nothing about Origin.
  const seen = ev.mains.find((m) => m.crossOrigin && m.req !== null && !provisional(m.ex, m.req));
  const method = seen?.ex.method ?? req.method;
  const hasOrigin = seen?.req?.hasSlot(S_ORIGIN) ?? false;
  if (seen && hasOrigin && (method === 'GET' || method === 'HEAD')) {
    return mk('cors', 'likely', `cross-origin ${method} carrying an Origin header (no-cors GET/HEAD never send one)`);
  }
  if (type && ELEMENT_TYPES.has(type)) {
    if (seen && !hasOrigin)
      return mk('no-cors', 'likely', `${type} load without an Origin header (no crossorigin attribute)`);
    if (!seen)
      return mk('no-cors', 'guess', `${type} loads are no-cors unless the element has a crossorigin attribute`);
    return mk('cors', 'likely', `${type} load with an Origin header (crossorigin attribute)`);
  }
  // A fetch()/XHR whose recorded headers are the renderer's alone, answered with Access-Control-Allow-Origin: the
  // missing Origin is the recorder's, not the request's. Without that header the answer says nothing (Playwright
  // records a no-cors fetch with the same renderer-only headers: test/e2e/har-recordhar.chromium.test.ts).
  const scripted = type === 'xmlhttprequest' || type === 'fetch';
  const corsAnswered =
    scripted &&
    seen !== undefined &&
    seen.req !== null &&
    rendererOnly(seen.req) &&
    seen.ex.response !== null &&
    seen.ex.response.headers.some((h) => h.name.toLowerCase() === 'access-control-allow-origin');
  if (seen && !hasOrigin && (method === 'GET' || method === 'HEAD') && !corsAnswered) {
    return mk('no-cors', 'likely', `cross-origin ${method} without an Origin header: CORS requests always carry one`);
  }
  if (type === 'xmlhttprequest' || type === 'fetch')
    return mk('cors', 'likely', 'fetch() and XMLHttpRequest default to mode cors');
  if (type === 'font') return mk('cors', 'likely', 'fonts are always fetched in cors mode');
  return mk('cors', 'guess', 'no Sec-Fetch-Mode or resource type to go by; assuming a script-initiated fetch (cors)');
}

export interface CredentialEvidence {
  mains: Array<{ ex: Exchange; req: HeaderIndex | null; crossOrigin: boolean }>;
  /** ACRH names of observed preflights, lowercased. */
  preflightRequestHeaders: string[] | null;
}

/** Credentials mode from hints and request headers alone (the outcome is weighed later, in index.ts). */
export function inferCredentials(
  req: ObservedRequest,
  mode: RequestMode,
  ev: CredentialEvidence,
): Inferred<CredentialsMode> {
  const hint = req.hints;
  if (hint && hint.credentials && CREDENTIALS.has(hint.credentials)) {
    return {
      value: hint.credentials,
      inference: {
        what: 'credentials',
        value: hint.credentials,
        confidence: HINT_CONFIDENCE[hint.source] ?? 'likely',
        because: `told by ${hint.source}`,
      },
    };
  }
  if (mode === 'no-cors' || mode === 'navigate') return mkCred('include', 'likely', `${mode} loads send credentials`);
  for (let i = 0; i < ev.mains.length; i++) {
    const m = ev.mains[i];
    if (!m.crossOrigin || !m.req) continue;
    // https://fetch.spec.whatwg.org/#concept-request-credentials-mode: cookies go cross-origin only with `include`.
    if (m.req.hasSlot(S_COOKIE))
      return mkCred(
        'include',
        'likely',
        'the cross-origin request carried a Cookie header, which only credentials: include sends',
      );
    if (
      m.req.hasSlot(S_AUTHORIZATION) &&
      ev.preflightRequestHeaders &&
      !ev.preflightRequestHeaders.includes('authorization')
    ) {
      return mkCred(
        'include',
        'likely',
        'the request carried Authorization that the page did not set (absent from Access-Control-Request-Headers): HTTP authentication, sent only with credentials: include',
      );
    }
  }
  return mkCred(
    'same-origin',
    'guess',
    'no Cookie on the request; assuming the fetch()/XHR default (same-origin, i.e. no credentials cross-origin)',
  );
}

export { parseRequestHeaderList };

/**
 * A navigation recorded without Sec-Fetch headers (Firefox < 90, Safari < 16.4, older Chrome), told by what only
 * navigations send: Upgrade-Insecure-Requests (https://w3c.github.io/webappsec-upgrade-insecure-requests/#preference,
 * sent on navigation requests) with an Accept that asks for HTML (the navigation default,
 * https://fetch.spec.whatwg.org/#fetching step "document"). A script that set the first would have needed a
 * preflight (it is not safelisted), and there was none. Returns the evidence in words, or null.
 */
function navigationSigns(first: ModeEvidence['mains'][number] | undefined): string | null {
  const h = first?.req;
  if (!h || (h.get('upgrade-insecure-requests') ?? '').trim() !== '1') return null;
  if (!/^\s*text\/html/i.test(h.get('accept') ?? '')) return null;
  const form = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(h.get('content-type') ?? '');
  const html =
    first?.ex.response && /^\s*text\/html/i.test(new HeaderIndex(first.ex.response.headers).get('content-type') ?? '');
  return `no Sec-Fetch-Mode, but Upgrade-Insecure-Requests: 1 and Accept: text/html, which only navigations send${form ? ', a form body' : ''}${html ? ', an HTML response' : ''}: a navigation (older browser)`;
}

/** Request headers as the renderer recorded them before the network stack added its own (no response seen). */
function provisional(ex: Exchange, req: HeaderIndex): boolean {
  return !ex.response && rendererOnly(req);
}

/**
 * Headers without any the network stack adds (Host, Accept-Encoding, Connection) nor Origin: what Chrome records as
 * provisional headers, and what chrome-har keeps from `Network.requestWillBeSent` even for a request that was
 * answered (measured on test/unit/har/corpus/chrome-har-recorded.har). They do not say whether Origin went out.
 */
function rendererOnly(req: HeaderIndex): boolean {
  return (
    !req.hasSlot(S_HOST) && !req.hasSlot(S_ACCEPT_ENCODING) && !req.hasSlot(S_CONNECTION) && !req.hasSlot(S_ORIGIN)
  );
}
