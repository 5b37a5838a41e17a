// Types for the oracle scenario table: what the page does (PageCall) and how the scenario server answers (Hop).
// Kept apart from the table so the server, the recorder and the oracle test can share them.

/**
 * Origins the scenario server listens on. The page always lives on A (`http://127.0.0.1:<A>`).
 * `LB`/`LA` are the same ports under the name `localhost` (a different origin and a different site);
 * `X` is a port nothing listens on (connection refused).
 */
export type OriginKey = 'A' | 'B' | 'C' | 'LA' | 'LB' | 'X';

/** A response header as sent; values may use the tokens expanded by the server (see `expandTokens`). */
export type RawHeader = [name: string, value: string];

export interface Resp {
  status: number;
  /** Raw lines, in order, duplicates and odd casing kept. */
  headers?: RawHeader[];
  /** For 3xx: where to go. `hop` defaults to the next hop index. */
  redirect?: {
    to: OriginKey | 'data' | 'ftp';
    hop?: number;
    /** `user:pass` put in the Location URL (RedirectContainsCredentials). */
    userinfo?: string;
  };
  /** Wait this long before answering. */
  delayMs?: number;
  /** Close the socket instead of answering (network error). */
  destroy?: boolean;
  /** Don't add the automatic Content-Type / body for the resource kind. */
  noBody?: boolean;
}

export interface Hop {
  /** Answer to an OPTIONS request at this hop (undefined: 404 without any header). */
  preflight?: Resp;
  /** Answer to every other method at this hop (undefined: 200 with only the automatic body headers). */
  actual?: Resp;
}

export type BodySpec =
  | { kind: 'text'; text: string }
  | { kind: 'form-data'; fields: Array<[string, string]> }
  | { kind: 'url-search-params'; text: string }
  | { kind: 'blob'; type: string; text: string };

export interface FetchCall {
  api: 'fetch';
  method?: string;
  headers?: Array<[string, string]>;
  body?: BodySpec;
  mode?: RequestMode;
  credentials?: RequestCredentials;
  redirect?: RequestRedirect;
  /** fetch()'s Local Network Access option (https://wicg.github.io/local-network-access/#dom-requestinit-targetaddressspace). */
  targetAddressSpace?: 'public' | 'local' | 'loopback';
}

export interface XhrCall {
  api: 'xhr';
  method?: string;
  headers?: Array<[string, string]>;
  body?: string;
  withCredentials?: boolean;
  /** Register an upload progress listener before send(): XHR's use-CORS-preflight flag (forced preflight). */
  uploadListener?: boolean;
}

export interface ElementCall {
  api: 'img' | 'script';
  /** `crossorigin` attribute; undefined = no attribute (no-cors load). */
  crossorigin?: 'anonymous' | 'use-credentials';
}

export type PageCall = FetchCall | XhrCall | ElementCall;

export type ScenarioGroup =
  | 'simple'
  | 'safelist'
  | 'acao'
  | 'credentials'
  | 'preflight-acao'
  | 'preflight-status'
  | 'preflight-methods'
  | 'preflight-headers'
  | 'forced-preflight'
  | 'redirect'
  | 'mode'
  | 'elements'
  | 'exposure'
  | 'preflight-cache'
  | 'network'
  | 'lna';

export interface Scenario {
  /** Stable kebab-case id; also the path segment the server keys its behaviour on. */
  id: string;
  description: string;
  group: ScenarioGroup;
  /** Origin of the first URL the page requests. */
  target: OriginKey;
  /** Non-http first URL instead (CorsDisabledScheme probes), e.g. `ftp://127.0.0.1:{portB}/x`. */
  rawUrl?: string;
  /** What the page does. */
  call: PageCall;
  /** Further calls to the SAME URL, made after the first one finished (preflight-cache scenarios). */
  then?: PageCall[];
  /** Server behaviour per hop (hop 0 = the URL the page requested). */
  hops: Hop[];
  /** Run after the setup endpoint set a cookie on 127.0.0.1, so credentialed requests really carry one. */
  cookie?: boolean;
  /** Response header names whose visibility to script is the point of the scenario. */
  watchHeaders?: string[];
  /**
   * Local Network Access (group `lna`): recorded in a browser launched with page origin A in the public address
   * space while B stays loopback. `page`: `public` is http://127.0.0.1:<A> (a secure context), `insecure` the same
   * server as http://insecure.test:<A> (not a secure context); `permission`: the loopback-network permission as
   * the page has it (`denied`: nobody answers the prompt; `granted`: granted through the automation protocol).
   */
  lna?: { page: 'public' | 'insecure'; permission: 'denied' | 'granted' };
}

export interface Ports {
  A: number;
  B: number;
  C: number;
  X: number;
}

export function hostPort(key: OriginKey, ports: Ports): string {
  switch (key) {
    case 'A':
      return `127.0.0.1:${ports.A}`;
    case 'B':
      return `127.0.0.1:${ports.B}`;
    case 'C':
      return `127.0.0.1:${ports.C}`;
    case 'LA':
      return `localhost:${ports.A}`;
    case 'LB':
      return `localhost:${ports.B}`;
    case 'X':
      return `127.0.0.1:${ports.X}`;
  }
}

export function originOf(key: OriginKey, ports: Ports): string {
  return `http://${hostPort(key, ports)}`;
}

/** URL of hop `hop` of scenario `sid`; `b` tags the browser so both recordings can share one server log. */
export function scenarioUrl(
  sid: string,
  hop: number,
  key: OriginKey,
  ports: Ports,
  b: string,
  userinfo?: string,
): string {
  const auth = userinfo ? `${userinfo}@` : '';
  return `http://${auth}${hostPort(key, ports)}/s/${sid}/${hop}?b=${b}`;
}

/**
 * Tokens usable in header values: `{page}` the page origin, `{origin}` the request's own Origin header
 * (the header is dropped when the request had none), `{A}` `{B}` `{C}` `{LA}` `{LB}` those origins,
 * `{portA}` `{portB}` the bare port numbers.
 */
export function expandTokens(value: string, ports: Ports, requestOrigin: string | undefined): string | null {
  if (value.includes('{origin}') && requestOrigin === undefined) return null;
  return value
    .replaceAll('{page}', originOf('A', ports))
    .replaceAll('{origin}', requestOrigin ?? '')
    .replaceAll('{A}', originOf('A', ports))
    .replaceAll('{B}', originOf('B', ports))
    .replaceAll('{C}', originOf('C', ports))
    .replaceAll('{LA}', originOf('LA', ports))
    .replaceAll('{LB}', originOf('LB', ports))
    .replaceAll('{portA}', String(ports.A))
    .replaceAll('{portB}', String(ports.B));
}
