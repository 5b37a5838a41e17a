// The oracle scenario table: each entry is DATA — what the page at origin A does and how the scenario
// server answers — recorded in real Chromium and Firefox by record.ts. Ids are stable (they name the HAR files).
// Edge cases come from the Fetch standard (https://fetch.spec.whatwg.org/#cors-check,
// #cors-preflight-fetch, #cors-safelisted-request-header) and WPT cors/, fetch/api/cors/, xhr/.
import type { BodySpec, Hop, PageCall, RawHeader, Resp, Scenario, ScenarioGroup } from './scenario-types';

export type { Scenario } from './scenario-types';

const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';
const ACEH = 'Access-Control-Expose-Headers';
const ACMA = 'Access-Control-Max-Age';

const star: RawHeader = [ACAO, '*'];
const exact: RawHeader = [ACAO, '{page}'];
const acacTrue: RawHeader = [ACAC, 'true'];

const r = (status: number, headers: RawHeader[] = [], extra: Partial<Resp> = {}): Resp => ({
  status,
  headers,
  ...extra,
});
/** A good preflight answer for a PUT without credentials. */
const pfOk = (extra: RawHeader[] = []): Resp => r(204, [star, [ACAM, 'PUT, DELETE, PATCH'], ...extra]);
/** A good preflight answer for a credentialed PUT. */
const pfOkCred = (extra: RawHeader[] = []): Resp => r(204, [exact, acacTrue, [ACAM, 'PUT, DELETE, PATCH'], ...extra]);

const get: PageCall = { api: 'fetch' };
const getCred: PageCall = { api: 'fetch', credentials: 'include' };
const put: PageCall = { api: 'fetch', method: 'PUT', body: { kind: 'text', text: 'x' } };
const putCred: PageCall = { api: 'fetch', method: 'PUT', body: { kind: 'text', text: 'x' }, credentials: 'include' };
const postText: PageCall = { api: 'fetch', method: 'POST', body: { kind: 'text', text: 'hello' } };

const list: Scenario[] = [];
function add(
  group: ScenarioGroup,
  id: string,
  description: string,
  call: PageCall,
  hops: Hop[],
  more: Partial<Scenario> = {},
): void {
  list.push({ id, description, group, target: 'B', call, hops, ...more });
}
/** Single-hop scenario: `actual` answers the request, `preflight` answers an OPTIONS if one comes. */
function one(
  group: ScenarioGroup,
  id: string,
  description: string,
  call: PageCall,
  actual: Resp,
  preflight?: Resp,
  more: Partial<Scenario> = {},
): void {
  add(group, id, description, call, [{ actual, preflight }], more);
}

// ---------------------------------------------------------------------------------------------------
// simple: allowed requests that need no preflight (https://fetch.spec.whatwg.org/#cors-safelisted-method)

one('simple', 'simple-get-acao-star', 'GET with ACAO * is allowed', get, r(200, [star]));
one('simple', 'simple-get-acao-exact', 'GET with ACAO equal to the page origin is allowed', get, r(200, [exact]));
one(
  'simple',
  'simple-get-acao-echo-vary',
  'GET with ACAO echoing Origin and Vary: Origin is allowed',
  get,
  r(200, [
    [ACAO, '{origin}'],
    ['Vary', 'Origin'],
  ]),
);
one('simple', 'simple-head-acao-star', 'HEAD with ACAO * is allowed', { api: 'fetch', method: 'HEAD' }, r(200, [star]));
one(
  'simple',
  'simple-post-string-body-star',
  'POST with a string body (text/plain;charset=UTF-8) needs no preflight',
  postText,
  r(200, [star]),
);
one(
  'simple',
  'simple-post-urlsearchparams-star',
  'POST with URLSearchParams (x-www-form-urlencoded) needs no preflight',
  { api: 'fetch', method: 'POST', body: { kind: 'url-search-params', text: 'a=1&b=2' } },
  r(200, [star]),
);
one(
  'simple',
  'simple-post-formdata-star',
  'POST with FormData (multipart/form-data) needs no preflight',
  { api: 'fetch', method: 'POST', body: { kind: 'form-data', fields: [['a', '1']] } },
  r(200, [star]),
);
one(
  'simple',
  'simple-post-blob-text-plain-star',
  'POST with a text/plain Blob needs no preflight',
  { api: 'fetch', method: 'POST', body: { kind: 'blob', type: 'text/plain', text: 'x' } },
  r(200, [star]),
);
one(
  'simple',
  'simple-get-404-acao-star',
  'A 404 carrying ACAO * is a CORS success (status visible to script)',
  get,
  r(404, [star]),
);
one('simple', 'simple-get-500-acao-star', 'A 500 carrying ACAO * is a CORS success', get, r(500, [star]));
one('simple', 'simple-get-204-acao-exact', 'A 204 with exact ACAO is allowed', get, r(204, [exact]));
one(
  'simple',
  'simple-acao-star-padded',
  'ACAO "  *  " (whitespace stripped by HTTP parsing) is allowed',
  get,
  r(200, [[ACAO, '  *  ']]),
);
one('simple', 'simple-acao-tab-star', 'ACAO "\\t*" is allowed (WPT cors/origin.htm)', get, r(200, [[ACAO, '\t*']]));
one('simple', 'simple-acao-exact-padded', 'ACAO " <origin>  " is allowed', get, r(200, [[ACAO, ' {page}  ']]));
one(
  'simple',
  'simple-acao-lowercase-name',
  'Header name access-control-allow-origin in lowercase is allowed',
  get,
  r(200, [['access-control-allow-origin', '*']]),
);
one(
  'simple',
  'simple-acao-uppercase-name',
  'Header name ACCESS-CONTROL-ALLOW-ORIGIN in uppercase is allowed',
  get,
  r(200, [['ACCESS-CONTROL-ALLOW-ORIGIN', '{page}']]),
);
one('simple', 'simple-xhr-get-star', 'XHR GET with ACAO * is allowed', { api: 'xhr', method: 'GET' }, r(200, [star]));
one(
  'simple',
  'simple-xhr-post-text-star',
  'XHR POST with a string body is a simple request',
  { api: 'xhr', method: 'POST', body: 'hello' },
  r(200, [star]),
);
one(
  'simple',
  'simple-get-localhost-target-exact',
  'GET to localhost:B (cross-site) with exact ACAO is allowed',
  get,
  r(200, [exact]),
  undefined,
  { target: 'LB' },
);
one(
  'simple',
  'simple-get-localhost-page-port-star',
  'GET to localhost:A (same port, other host = other origin) with ACAO * is allowed',
  get,
  r(200, [star]),
  undefined,
  { target: 'LA' },
);
one(
  'simple',
  'simple-get-omit-star',
  'credentials:omit with ACAO * is allowed',
  { api: 'fetch', credentials: 'omit' },
  r(200, [star]),
);
one(
  'simple',
  'simple-get-acac-ignored-without-credentials',
  'ACAC "false" is ignored when credentials are not included',
  get,
  r(200, [exact, [ACAC, 'false']]),
);
one('simple', 'simple-get-slow-response', 'Allowed GET answered after 1.5 s', get, r(200, [star], { delayMs: 1500 }));

// ---------------------------------------------------------------------------------------------------
// safelist: which request headers/values trigger a preflight (https://fetch.spec.whatwg.org/#cors-safelisted-request-header).
// The OPTIONS answer carries no CORS headers, so a preflight means a block and no preflight means success.

const noCorsPreflight = r(204, []);
const ctCases: Array<[string, string, string]> = [
  // [id suffix, value, why]
  ['text-plain-semicolon', 'text/plain;', 'WPT: no preflight'],
  ['text-plain-garbage-param', 'text/plain;garbage', 'WPT: parameters are ignored'],
  ['multipart-bare', 'multipart/form-data', 'WPT: no preflight'],
  ['urlencoded', 'application/x-www-form-urlencoded', 'safelisted essence'],
  ['text-plain-uppercase', 'TEXT/PLAIN', 'MIME type parsing lowercases the essence'],
  ['text-plain-charset-quoted', 'text/plain; charset="utf-8"', 'the quotes are CORS-unsafe bytes'],
  ['text-space-slash', 'text /plain', 'WPT: not a valid MIME type'],
  ['text-tab-slash', 'text\t/\tplain', 'WPT: not a valid MIME type'],
  ['text-plain-trailing-comma', 'text/plain,', 'WPT'],
  ['text-plain-leading-comma', ',text/plain', 'WPT'],
  ['text-plain-twice', 'text/plain,text/plain', 'WPT: a list does not parse'],
  ['text-plain-and-other', 'text/plain,x/x', 'WPT'],
  ['text-plain-vtab', 'text/plain\v', 'WPT: vertical tab'],
  ['www-form-urlencoded-typo', 'application/www-form-urlencoded', 'WPT: not the safelisted essence'],
  ['multipart-dquote', 'multipart/form-data;"', 'WPT: unsafe byte "'],
  ['text-plain-control-bytes', 'text/plain;garbage\x01\x02', 'WPT: control bytes are CORS-unsafe'],
  ['application-json', 'application/json', 'the everyday JSON API mistake'],
  ['text-html', 'text/html', 'not safelisted'],
];
for (const [id, value, why] of ctCases) {
  one(
    'safelist',
    `safelist-content-type-${id}`,
    `POST with Content-Type ${JSON.stringify(value)} (${why}); OPTIONS answered without CORS`,
    { api: 'fetch', method: 'POST', headers: [['Content-Type', value]], body: { kind: 'text', text: 'x' } },
    r(200, [star]),
    noCorsPreflight,
  );
}
one(
  'safelist',
  'safelist-content-type-appended-twice',
  'Content-Type appended twice combines to "text/plain, text/plain" and needs a preflight',
  {
    api: 'fetch',
    method: 'POST',
    headers: [
      ['Content-Type', 'text/plain'],
      ['Content-Type', 'text/plain'],
    ],
    body: { kind: 'text', text: 'x' },
  },
  r(200, [star]),
  noCorsPreflight,
);
one(
  'safelist',
  'safelist-blob-json-type',
  'POST with an application/json Blob body sets an unsafe Content-Type (preflight)',
  { api: 'fetch', method: 'POST', body: { kind: 'blob', type: 'application/json', text: '{}' } },
  r(200, [star]),
  noCorsPreflight,
);

const rangeCases: Array<[string, string]> = [
  ['simple', 'bytes=100-200'],
  ['open-end', 'bytes=200-'],
  ['space-before-equals', 'bytes =100-200'],
  ['suffix', 'bytes=-200'],
  ['two-ranges', 'bytes=100-200,300-400'],
  ['reversed', 'bytes=200-100'],
  ['huge-number', `bytes=${'1'.repeat(60)}-`],
];
for (const [id, value] of rangeCases) {
  one(
    'safelist',
    `safelist-range-${id}`,
    `GET with Range ${JSON.stringify(value)} (WPT cors-safelisted-request-header); OPTIONS without CORS`,
    { api: 'fetch', headers: [['Range', value]] },
    r(200, [star]),
    noCorsPreflight,
  );
}
const otherHeaderCases: Array<[string, string, string, string]> = [
  ['accept-json', 'Accept', 'application/json', 'safelisted'],
  ['accept-129-bytes', 'Accept', 'a'.repeat(129), 'over the 128-byte limit'],
  ['accept-unsafe-byte', 'Accept', 'text/(html)', 'unsafe bytes ( )'],
  ['accept-language', 'Accept-Language', 'en-US,en;q=0.9', 'safelisted'],
  ['accept-language-unsafe', 'Accept-Language', 'en@x', '@ is not allowed in Accept-Language'],
  ['content-language', 'Content-Language', 'de-DE', 'safelisted'],
  ['content-language-unsafe', 'Content-Language', 'de?', '? is not allowed'],
  ['x-requested-with', 'X-Requested-With', 'XMLHttpRequest', 'a custom header always needs a preflight'],
  ['dpr-client-hint', 'DPR', '2', 'client hint: Chromium safelists it, Firefox does not'],
  ['viewport-width-client-hint', 'Viewport-Width', '800', 'client hint'],
  ['save-data-client-hint', 'Save-Data', 'on', 'client hint'],
  ['empty-custom-header', 'X-Empty', '', 'an empty custom header still needs a preflight'],
];
for (const [id, name, value, why] of otherHeaderCases) {
  one(
    'safelist',
    `safelist-header-${id}`,
    `GET with ${name}: ${JSON.stringify(value.length > 40 ? value.slice(0, 20) + '…' : value)} (${why}); OPTIONS without CORS`,
    { api: 'fetch', headers: [[name, value]] },
    r(200, [star]),
    noCorsPreflight,
  );
}
one(
  'safelist',
  'safelist-content-type-json-preflight-ok',
  'application/json POST whose preflight allows content-type is allowed',
  { api: 'fetch', method: 'POST', headers: [['Content-Type', 'application/json']], body: { kind: 'text', text: '{}' } },
  r(200, [star]),
  r(204, [star, [ACAH, 'Content-Type']]),
);
one(
  'safelist',
  'safelist-range-suffix-preflight-ok',
  'Suffix Range with a preflight allowing range is allowed',
  { api: 'fetch', headers: [['Range', 'bytes=-200']] },
  r(200, [star]),
  r(204, [star, [ACAH, 'range']]),
);

// ---------------------------------------------------------------------------------------------------
// acao: the CORS check on the actual response (https://fetch.spec.whatwg.org/#cors-check)

one('acao', 'acao-missing-get', 'GET without ACAO: MissingAllowOriginHeader', get, r(200, []));
one('acao', 'acao-missing-post', 'Simple POST without ACAO (the request did reach the server)', postText, r(200, []));
one('acao', 'acao-missing-404', '404 without ACAO', get, r(404, []));
one('acao', 'acao-missing-500', '500 without ACAO (error pages often lose CORS headers)', get, r(500, []));
one('acao', 'acao-missing-xhr', 'XHR GET without ACAO', { api: 'xhr', method: 'GET' }, r(200, []));
one(
  'acao',
  'acao-missing-other-cors-headers-present',
  'ACAM/ACAH/ACAC present but no ACAO',
  get,
  r(200, [acacTrue, [ACAM, 'GET'], [ACAH, '*']]),
);
one('acao', 'acao-two-lines-same', 'Two identical ACAO lines combine to "o, o"', get, r(200, [exact, exact]));
one('acao', 'acao-two-lines-different', 'Two ACAO lines with different origins', get, r(200, [exact, [ACAO, '{C}']]));
one('acao', 'acao-two-lines-star', 'Two ACAO: * lines', get, r(200, [star, star]));
one('acao', 'acao-two-lines-star-and-exact', 'ACAO * and ACAO <origin> on two lines', get, r(200, [star, exact]));
one(
  'acao',
  'acao-one-line-comma',
  'One ACAO line listing two origins with a comma (page origin first)',
  get,
  r(200, [[ACAO, '{page}, {C}']]),
);
one(
  'acao',
  'acao-one-line-comma-other-first',
  'One ACAO line listing two origins, page origin second',
  get,
  r(200, [[ACAO, '{C}, {page}']]),
);
one(
  'acao',
  'acao-one-line-space',
  'One ACAO line with two origins separated by a space',
  get,
  r(200, [[ACAO, '{page} {C}']]),
);
one(
  'acao',
  'acao-invalid-bare-host',
  'ACAO without scheme (127.0.0.1:port) is not a URL',
  get,
  r(200, [[ACAO, '127.0.0.1:{portA}']]),
);
one('acao', 'acao-invalid-dash', 'ACAO "-"', get, r(200, [[ACAO, '-']]));
one('acao', 'acao-invalid-double-star', 'ACAO "**"', get, r(200, [[ACAO, '**']]));
one('acao', 'acao-invalid-quoted-star', 'ACAO "\\"*\\"" (quoted wildcard)', get, r(200, [[ACAO, '"*"']]));
one('acao', 'acao-invalid-single-quoted-star', 'ACAO "\'*\'"', get, r(200, [[ACAO, "'*'"]]));
one('acao', 'acao-empty-value', 'ACAO present with an empty value', get, r(200, [[ACAO, '']]));
one('acao', 'acao-invalid-example-com', 'ACAO "example.com"', get, r(200, [[ACAO, 'example.com']]));
one('acao', 'acao-mismatch-trailing-slash', 'ACAO with a trailing slash', get, r(200, [[ACAO, '{page}/']]));
one(
  'acao',
  'acao-mismatch-uppercase-scheme',
  'ACAO with uppercase scheme HTTP://',
  get,
  r(200, [[ACAO, 'HTTP://127.0.0.1:{portA}']]),
);
one('acao', 'acao-mismatch-wrong-port', 'ACAO naming the API origin instead of the page', get, r(200, [[ACAO, '{B}']]));
one('acao', 'acao-mismatch-no-port', 'ACAO without the port', get, r(200, [[ACAO, 'http://127.0.0.1']]));
one('acao', 'acao-mismatch-null', 'ACAO null for a normal origin', get, r(200, [[ACAO, 'null']]));
one(
  'acao',
  'acao-mismatch-localhost',
  'ACAO http://localhost:A for a page on 127.0.0.1:A',
  get,
  r(200, [[ACAO, '{LA}']]),
);
one(
  'acao',
  'acao-mismatch-https',
  'ACAO https:// for an http page',
  get,
  r(200, [[ACAO, 'https://127.0.0.1:{portA}']]),
);
one('acao', 'acao-mismatch-with-path', 'ACAO origin followed by a path', get, r(200, [[ACAO, '{page}/app']]));
one(
  'acao',
  'acao-mismatch-localhost-target',
  'Request to localhost:B answered with ACAO naming localhost:A',
  get,
  r(200, [[ACAO, '{LA}']]),
  undefined,
  { target: 'LB' },
);
one(
  'acao',
  'acao-mismatch-xhr',
  'XHR answered with a mismatching ACAO',
  { api: 'xhr', method: 'GET' },
  r(200, [[ACAO, '{C}']]),
);
one(
  'acao',
  'acao-two-lines-xhr',
  'XHR answered with two ACAO lines',
  { api: 'xhr', method: 'GET' },
  r(200, [exact, [ACAO, '{C}']]),
);
one(
  'acao',
  'acao-missing-localhost-page-port',
  'GET to localhost:A (other origin than 127.0.0.1:A) without ACAO',
  get,
  r(200, []),
  undefined,
  { target: 'LA' },
);

// ---------------------------------------------------------------------------------------------------
// credentials: credentials mode include (https://fetch.spec.whatwg.org/#cors-protocol-and-credentials)

const credApis: Array<[string, PageCall]> = [
  ['fetch', getCred],
  ['xhr', { api: 'xhr', method: 'GET', withCredentials: true }],
  ['img', { api: 'img', crossorigin: 'use-credentials' }],
  ['script', { api: 'script', crossorigin: 'use-credentials' }],
];
for (const [api, call] of credApis) {
  for (const cookie of [false, true]) {
    const c = cookie ? 'cookie' : 'no-cookie';
    const cd = cookie ? 'with a cookie' : 'without a cookie';
    const group: ScenarioGroup = api === 'img' || api === 'script' ? 'elements' : 'credentials';
    one(
      group,
      `cred-${api}-star-${c}`,
      `Credentialed ${api} ${cd} answered ACAO *: WildcardOriginNotAllowed`,
      call,
      r(200, [star]),
      undefined,
      { cookie },
    );
    one(
      group,
      `cred-${api}-exact-no-acac-${c}`,
      `Credentialed ${api} ${cd}, exact ACAO, no ACAC: InvalidAllowCredentials`,
      call,
      r(200, [exact]),
      undefined,
      { cookie },
    );
    one(
      group,
      `cred-${api}-exact-acac-${c}`,
      `Credentialed ${api} ${cd}, exact ACAO and ACAC true: allowed`,
      call,
      r(200, [exact, acacTrue]),
      undefined,
      { cookie },
    );
  }
}
const acacValues: Array<[string, RawHeader[]]> = [
  ['capital-true', [[ACAC, 'True']]],
  ['upper-true', [[ACAC, 'TRUE']]],
  ['one', [[ACAC, '1']]],
  ['yes', [[ACAC, 'yes']]],
  ['false', [[ACAC, 'false']]],
  ['empty', [[ACAC, '']]],
  ['two-lines', [acacTrue, acacTrue]],
  ['padded', [[ACAC, '  true ']]],
  ['lowercase-name', [['access-control-allow-credentials', 'true']]],
];
for (const [id, headers] of acacValues) {
  one(
    'credentials',
    `cred-acac-${id}`,
    `Credentialed fetch, exact ACAO, ACAC ${JSON.stringify(headers.map((h) => h[1]).join(' | '))}`,
    getCred,
    r(200, [exact, ...headers]),
    undefined,
    { cookie: true },
  );
}
one(
  'credentials',
  'cred-star-with-acac-true',
  'Credentialed fetch answered ACAO * and ACAC true: still WildcardOriginNotAllowed',
  getCred,
  r(200, [star, acacTrue]),
  undefined,
  { cookie: true },
);
one(
  'credentials',
  'cred-mismatch-with-acac',
  'Credentialed fetch, mismatching ACAO with ACAC true: origin checked first',
  getCred,
  r(200, [[ACAO, '{C}'], acacTrue]),
  undefined,
  { cookie: true },
);
one(
  'credentials',
  'cred-missing-acao-with-acac',
  'Credentialed fetch, ACAC true but no ACAO',
  getCred,
  r(200, [acacTrue]),
  undefined,
  { cookie: true },
);
one(
  'credentials',
  'cred-echo-origin-acac',
  'Credentialed fetch, ACAO echoes Origin, ACAC true, Vary: Origin: allowed',
  getCred,
  r(200, [[ACAO, '{origin}'], acacTrue, ['Vary', 'Origin']]),
  undefined,
  { cookie: true },
);
one(
  'credentials',
  'cred-omit-star-cookie',
  'credentials:omit with ACAO * while a cookie exists: allowed, no cookie sent',
  { api: 'fetch', credentials: 'omit' },
  r(200, [star]),
  undefined,
  { cookie: true },
);
one(
  'credentials',
  'cred-same-origin-default-star-cookie',
  'Default credentials (same-origin) cross-origin with ACAO *: allowed, no cookie sent',
  get,
  r(200, [star]),
  undefined,
  { cookie: true },
);
one(
  'credentials',
  'cred-xhr-no-with-credentials-star-cookie',
  'XHR without withCredentials and ACAO *: allowed',
  { api: 'xhr', method: 'GET' },
  r(200, [star]),
  undefined,
  { cookie: true },
);
one(
  'credentials',
  'cred-localhost-target-exact-acac',
  'Credentialed fetch to localhost:B (cross-site, no cookie there): exact ACAO + ACAC true',
  getCred,
  r(200, [exact, acacTrue]),
  undefined,
  { target: 'LB', cookie: true },
);
one(
  'credentials',
  'cred-localhost-target-star',
  'Credentialed fetch to localhost:B answered ACAO *',
  getCred,
  r(200, [star]),
  undefined,
  { target: 'LB', cookie: true },
);
one(
  'credentials',
  'cred-post-text-exact-no-acac',
  'Credentialed simple POST, exact ACAO, no ACAC',
  { ...postText, credentials: 'include' },
  r(200, [exact]),
  undefined,
  { cookie: true },
);

// ---------------------------------------------------------------------------------------------------
// preflight-acao: the CORS check on the preflight response (Chromium Preflight* errors)

const pfAcao: Array<[string, string, RawHeader[], boolean]> = [
  // [id, description, preflight ACAO/ACAC headers, credentialed]
  ['missing', 'preflight without ACAO', [], false],
  ['two-lines', 'preflight with two ACAO lines', [exact, [ACAO, '{C}']], false],
  ['two-lines-same', 'preflight with two identical ACAO lines', [exact, exact], false],
  ['comma', 'preflight ACAO listing two origins on one line', [[ACAO, '{page}, {C}']], false],
  ['invalid-dash', 'preflight ACAO "-"', [[ACAO, '-']], false],
  ['invalid-bare-host', 'preflight ACAO without scheme', [[ACAO, '127.0.0.1:{portA}']], false],
  ['mismatch-trailing-slash', 'preflight ACAO with trailing slash', [[ACAO, '{page}/']], false],
  ['mismatch-null', 'preflight ACAO null', [[ACAO, 'null']], false],
  ['mismatch-port', 'preflight ACAO naming the API origin', [[ACAO, '{B}']], false],
  [
    'mismatch-uppercase-scheme',
    'preflight ACAO with uppercase scheme HTTP://',
    [[ACAO, 'HTTP://127.0.0.1:{portA}']],
    false,
  ],
  ['star-credentials', 'preflight ACAO * for a credentialed request', [star], true],
  ['star-acac-credentials', 'preflight ACAO * and ACAC true for a credentialed request', [star, acacTrue], true],
  ['acac-missing-credentials', 'preflight exact ACAO without ACAC for a credentialed request', [exact], true],
  ['acac-capital-credentials', 'preflight ACAC True for a credentialed request', [exact, [ACAC, 'True']], true],
  ['acac-false-credentials', 'preflight ACAC false for a credentialed request', [exact, [ACAC, 'false']], true],
  [
    'mismatch-credentials',
    'preflight mismatching ACAO with ACAC true for a credentialed request',
    [[ACAO, '{C}'], acacTrue],
    true,
  ],
];
for (const [id, desc, headers, cred] of pfAcao) {
  for (const cookie of cred ? [false, true] : [false]) {
    const suffix = cred ? (cookie ? '-cookie' : '-no-cookie') : '';
    one(
      'preflight-acao',
      `preflight-acao-${id}${suffix}`,
      `PUT whose ${desc}${cred ? (cookie ? ' (cookie set)' : ' (no cookie)') : ''}`,
      cred ? putCred : put,
      r(200, cred ? [exact, acacTrue] : [star]),
      r(204, [...headers, [ACAM, 'PUT']]),
      { cookie },
    );
  }
}
one(
  'preflight-acao',
  'preflight-ok-actual-missing-acao',
  'Preflight passes, the PUT response lacks ACAO',
  put,
  r(200, []),
  pfOk(),
);
one(
  'preflight-acao',
  'preflight-ok-actual-mismatch',
  'Preflight passes, the PUT response has a mismatching ACAO',
  put,
  r(200, [[ACAO, '{C}']]),
  pfOk(),
);
one(
  'preflight-acao',
  'preflight-ok-actual-star-credentials',
  'Credentialed preflight passes, the PUT response says ACAO *',
  putCred,
  r(200, [star, acacTrue]),
  pfOkCred(),
  { cookie: true },
);
one(
  'preflight-acao',
  'preflight-ok-actual-no-acac-credentials',
  'Credentialed preflight passes, the PUT response lacks ACAC',
  putCred,
  r(200, [exact]),
  pfOkCred(),
  { cookie: true },
);
one(
  'preflight-acao',
  'preflight-ok-put-star',
  'PUT with preflight ACAO * and ACAM PUT: allowed',
  put,
  r(200, [star]),
  pfOk(),
);
one(
  'preflight-acao',
  'preflight-ok-put-credentials-cookie',
  'Credentialed PUT with exact ACAO + ACAC on both: allowed (cookie on the PUT only)',
  putCred,
  r(200, [exact, acacTrue]),
  pfOkCred(),
  { cookie: true },
);
one(
  'preflight-acao',
  'preflight-ok-put-credentials-no-cookie',
  'Credentialed PUT with exact ACAO + ACAC on both, no cookie: allowed',
  putCred,
  r(200, [exact, acacTrue]),
  pfOkCred(),
);

// ---------------------------------------------------------------------------------------------------
// preflight-status: non-ok preflight statuses and redirects (https://fetch.spec.whatwg.org/#cors-preflight-fetch)

for (const status of [200, 299, 400, 401, 403, 404, 405, 500, 501, 503]) {
  one(
    'preflight-status',
    `preflight-status-${status}-with-cors`,
    `Preflight answered ${status} with good CORS headers`,
    put,
    r(200, [star]),
    r(status, [star, [ACAM, 'PUT']]),
  );
}
for (const status of [401, 403, 404, 405, 500]) {
  one(
    'preflight-status',
    `preflight-status-${status}-no-cors`,
    `Preflight answered ${status} without any CORS header (no OPTIONS route / auth middleware)`,
    put,
    r(200, [star]),
    r(status, []),
  );
}
one(
  'preflight-status',
  'preflight-status-401-credentials-with-cors',
  'Credentialed PUT whose preflight gets 401 with good CORS headers (auth middleware on OPTIONS)',
  putCred,
  r(200, [exact, acacTrue]),
  r(401, [exact, acacTrue, [ACAM, 'PUT']]),
  { cookie: true },
);
one(
  'preflight-status',
  'preflight-status-304-with-cors',
  'Preflight answered 304 with CORS headers',
  put,
  r(200, [star]),
  r(304, [star, [ACAM, 'PUT']]),
);
for (const status of [301, 302, 303, 307, 308]) {
  one(
    'preflight-status',
    `preflight-redirect-${status}-with-cors`,
    `Preflight answered ${status} (with CORS headers and a Location)`,
    put,
    r(200, [star]),
    r(status, [star, [ACAM, 'PUT']], { redirect: { to: 'B', hop: 1 } }),
  );
}
one(
  'preflight-status',
  'preflight-redirect-308-no-cors',
  'Preflight answered 308 without CORS headers (http→https style redirect)',
  put,
  r(200, [star]),
  r(308, [], { redirect: { to: 'C', hop: 0 } }),
);
one(
  'preflight-status',
  'preflight-redirect-302-no-cors',
  'Preflight answered 302 without CORS headers (login redirect)',
  put,
  r(200, [star]),
  r(302, [], { redirect: { to: 'A', hop: 0 } }),
);
one(
  'preflight-status',
  'preflight-status-404-star-credentials',
  'Credentialed PUT, preflight 404 with ACAO *: the origin check wins',
  putCred,
  r(200, [exact, acacTrue]),
  r(404, [star]),
  { cookie: true },
);

// ---------------------------------------------------------------------------------------------------
// preflight-methods: Access-Control-Allow-Methods (https://fetch.spec.whatwg.org/#cors-preflight-fetch step 7)

const m = (method: string, cred = false): PageCall => ({
  api: 'fetch',
  method,
  body: method === 'GET' || method === 'HEAD' ? undefined : { kind: 'text', text: 'x' },
  credentials: cred ? 'include' : undefined,
});
const pfM = (acam: RawHeader[] | null, cred = false, more: RawHeader[] = []): Resp =>
  r(204, [...(cred ? [exact, acacTrue] : [star]), ...(acam ?? []), ...more]);
const actualFor = (cred: boolean): Resp => r(200, cred ? [exact, acacTrue] : [star]);
const methodCases: Array<[string, string, string, RawHeader[] | null, boolean]> = [
  // [id, description, method, ACAM lines, credentialed]
  ['put-listed', 'PUT with ACAM PUT', 'PUT', [[ACAM, 'PUT']], false],
  ['delete-listed', 'DELETE with ACAM GET, DELETE', 'DELETE', [[ACAM, 'GET, DELETE']], false],
  ['patch-listed', 'PATCH with ACAM PATCH', 'PATCH', [[ACAM, 'PATCH']], false],
  [
    'patch-lowercase-acam-upper',
    'fetch method "patch" is not normalised; ACAM PATCH does not match',
    'patch',
    [[ACAM, 'PATCH']],
    false,
  ],
  ['patch-lowercase-acam-lower', 'fetch method "patch" with ACAM patch', 'patch', [[ACAM, 'patch']], false],
  ['patch-upper-acam-lower', 'PATCH with ACAM patch (case-sensitive match)', 'PATCH', [[ACAM, 'patch']], false],
  ['put-acam-lower', 'PUT with ACAM put', 'PUT', [[ACAM, 'put']], false],
  ['put-lowercase-normalised', 'fetch method "put" is normalised to PUT; ACAM PUT', 'put', [[ACAM, 'PUT']], false],
  [
    'delete-lowercase-normalised',
    'fetch method "delete" is normalised to DELETE; ACAM DELETE',
    'delete',
    [[ACAM, 'DELETE']],
    false,
  ],
  ['put-acam-missing', 'PUT with no ACAM at all', 'PUT', null, false],
  ['put-acam-get-post', 'PUT with ACAM GET, POST', 'PUT', [[ACAM, 'GET, POST']], false],
  ['put-acam-star', 'PUT with ACAM * (no credentials)', 'PUT', [[ACAM, '*']], false],
  [
    'put-acam-star-credentials',
    'Credentialed PUT with ACAM *: * is literal with credentials',
    'PUT',
    [[ACAM, '*']],
    true,
  ],
  ['put-acam-star-and-put-credentials', 'Credentialed PUT with ACAM *, PUT', 'PUT', [[ACAM, '*, PUT']], true],
  ['delete-acam-get-credentials', 'Credentialed DELETE with ACAM GET', 'DELETE', [[ACAM, 'GET']], true],
  ['custom-foo-listed', 'Custom method FOO with ACAM FOO', 'FOO', [[ACAM, 'FOO']], false],
  ['custom-foo-star', 'Custom method FOO with ACAM *', 'FOO', [[ACAM, '*']], false],
  ['custom-foo-lowercase-listed', 'Custom method "foo" (not normalised) with ACAM FOO', 'foo', [[ACAM, 'FOO']], false],
  ['put-acam-spaces', 'PUT with ACAM " GET , PUT ,DELETE "', 'PUT', [[ACAM, ' GET , PUT ,DELETE ']], false],
  ['put-acam-leading-comma', 'PUT with ACAM ",PUT" (empty element tolerated)', 'PUT', [[ACAM, ',PUT']], false],
  ['put-acam-double-comma', 'PUT with ACAM "GET,,PUT"', 'PUT', [[ACAM, 'GET,,PUT']], false],
  [
    'put-acam-two-lines',
    'PUT with ACAM on two lines (GET / PUT)',
    'PUT',
    [
      [ACAM, 'GET'],
      [ACAM, 'PUT'],
    ],
    false,
  ],
  [
    'put-acam-lowercase-name',
    'PUT with header name access-control-allow-methods',
    'PUT',
    [['access-control-allow-methods', 'PUT']],
    false,
  ],
  [
    'put-acam-invalid-space',
    'ACAM "PUT DELETE" (space inside an element is not a token)',
    'PUT',
    [[ACAM, 'PUT DELETE']],
    false,
  ],
  ['put-acam-invalid-semicolon', 'ACAM "PUT;"', 'PUT', [[ACAM, 'PUT;']], false],
  ['put-acam-invalid-slash', 'ACAM "GET/PUT"', 'PUT', [[ACAM, 'GET/PUT']], false],
  ['put-acam-invalid-quoted', 'ACAM "\\"PUT\\""', 'PUT', [[ACAM, '"PUT"']], false],
  [
    'delete-acam-invalid-unlisted',
    'DELETE with ACAM "GET, P(UT" (invalid token, method not listed)',
    'DELETE',
    [[ACAM, 'GET, P(UT']],
    false,
  ],
  ['post-acam-missing', 'POST with a custom header: ACAM absent is fine for POST', 'POST', null, false],
];
for (const [id, desc, method, acam, cred] of methodCases) {
  const extraAcah: RawHeader[] = method === 'POST' ? [[ACAH, 'X-Custom']] : [];
  const call: PageCall =
    method === 'POST'
      ? { api: 'fetch', method: 'POST', headers: [['X-Custom', '1']], body: { kind: 'text', text: 'x' } }
      : m(method, cred);
  one('preflight-methods', `method-${id}`, desc, call, actualFor(cred), pfM(acam, cred, extraAcah), { cookie: cred });
}
one(
  'preflight-methods',
  'method-missing-and-acah-invalid',
  'PUT with X-Custom; ACAM lacks PUT and ACAH is malformed: the browsers check in different orders',
  { ...put, headers: [['X-Custom', '1']] },
  r(200, [star]),
  r(204, [star, [ACAM, 'GET'], [ACAH, 'X-Custom Bad']]),
);
one(
  'preflight-methods',
  'method-xhr-put-listed',
  'XHR PUT with ACAM PUT',
  { api: 'xhr', method: 'PUT', body: 'x' },
  r(200, [star]),
  r(204, [star, [ACAM, 'PUT']]),
);
one(
  'preflight-methods',
  'method-xhr-delete-not-listed',
  'XHR DELETE with ACAM GET, PUT',
  { api: 'xhr', method: 'DELETE' },
  r(200, [star]),
  r(204, [star, [ACAM, 'GET, PUT']]),
);
one(
  'preflight-methods',
  'method-xhr-patch-lowercase',
  'XHR open("patch") sends patch; ACAM PATCH',
  { api: 'xhr', method: 'patch', body: 'x' },
  r(200, [star]),
  r(204, [star, [ACAM, 'PATCH']]),
);

// ---------------------------------------------------------------------------------------------------
// preflight-headers: Access-Control-Allow-Headers (https://fetch.spec.whatwg.org/#cors-preflight-fetch step 8-9)

const h = (headers: Array<[string, string]>, cred = false, method = 'GET'): PageCall => ({
  api: 'fetch',
  method,
  headers,
  credentials: cred ? 'include' : undefined,
  body: method === 'GET' ? undefined : { kind: 'text', text: 'x' },
});
const headerCases: Array<[string, string, PageCall, RawHeader[] | null, boolean]> = [
  // [id, description, call, ACAH lines, credentialed]
  ['custom-missing', 'X-Custom with no ACAH', h([['X-Custom', '1']]), null, false],
  ['custom-listed', 'X-Custom with ACAH X-Custom', h([['X-Custom', '1']]), [[ACAH, 'X-Custom']], false],
  [
    'custom-listed-uppercase',
    'X-Custom with ACAH X-CUSTOM (case-insensitive)',
    h([['X-Custom', '1']]),
    [[ACAH, 'X-CUSTOM']],
    false,
  ],
  ['custom-other-listed', 'X-Custom with ACAH X-Other', h([['X-Custom', '1']]), [[ACAH, 'X-Other']], false],
  [
    'two-custom-second-missing',
    'X-Alpha and X-Beta, ACAH lists only X-Alpha',
    h([
      ['X-Alpha', '1'],
      ['X-Beta', '1'],
    ]),
    [[ACAH, 'X-Alpha']],
    false,
  ],
  [
    'two-custom-first-missing',
    'X-Alpha and X-Beta, ACAH lists only X-Beta',
    h([
      ['X-Alpha', '1'],
      ['X-Beta', '1'],
    ]),
    [[ACAH, 'X-Beta']],
    false,
  ],
  [
    'two-custom-none-listed',
    'X-Zeta then X-Alpha set, neither listed: which one is reported',
    h([
      ['X-Zeta', '1'],
      ['X-Alpha', '1'],
    ]),
    [[ACAH, 'X-Other']],
    false,
  ],
  [
    'two-custom-two-lines',
    'X-Alpha and X-Beta listed on two ACAH lines',
    h([
      ['X-Alpha', '1'],
      ['X-Beta', '1'],
    ]),
    [
      [ACAH, 'X-Alpha'],
      [ACAH, 'X-Beta'],
    ],
    false,
  ],
  ['acah-star', 'X-Custom with ACAH * (no credentials)', h([['X-Custom', '1']]), [[ACAH, '*']], false],
  [
    'acah-star-credentials',
    'Credentialed X-Custom with ACAH *: * is literal with credentials',
    h([['X-Custom', '1']], true),
    [[ACAH, '*']],
    true,
  ],
  [
    'acah-star-and-listed-credentials',
    'Credentialed X-Custom with ACAH *, X-Custom',
    h([['X-Custom', '1']], true),
    [[ACAH, '*, X-Custom']],
    true,
  ],
  [
    'authorization-star',
    'Authorization with ACAH * (measured: both browsers allow it)',
    h([['Authorization', 'Bearer t']]),
    [[ACAH, '*']],
    false,
  ],
  [
    'authorization-star-credentials',
    'Credentialed Authorization with ACAH *',
    h([['Authorization', 'Bearer t']], true),
    [[ACAH, '*']],
    true,
  ],
  [
    'authorization-star-and-listed',
    'Authorization with ACAH *, Authorization',
    h([['Authorization', 'Bearer t']]),
    [[ACAH, '*, Authorization']],
    false,
  ],
  [
    'authorization-listed',
    'Authorization with ACAH authorization',
    h([['Authorization', 'Bearer t']]),
    [[ACAH, 'authorization']],
    false,
  ],
  [
    'authorization-missing',
    'Authorization with ACAH Content-Type only',
    h([['Authorization', 'Bearer t']]),
    [[ACAH, 'Content-Type']],
    false,
  ],
  [
    'authorization-listed-credentials',
    'Credentialed Authorization with ACAH Authorization',
    h([['Authorization', 'Bearer t']], true),
    [[ACAH, 'Authorization']],
    true,
  ],
  [
    'json-content-type-listed',
    'POST application/json with ACAH content-type',
    h([['Content-Type', 'application/json']], false, 'POST'),
    [[ACAH, 'content-type']],
    false,
  ],
  [
    'json-content-type-missing',
    'POST application/json with ACAH X-Other',
    h([['Content-Type', 'application/json']], false, 'POST'),
    [[ACAH, 'X-Other']],
    false,
  ],
  [
    'json-and-auth-auth-missing',
    'POST JSON + Authorization, ACAH Content-Type only',
    h(
      [
        ['Content-Type', 'application/json'],
        ['Authorization', 'Bearer t'],
      ],
      false,
      'POST',
    ),
    [[ACAH, 'Content-Type']],
    false,
  ],
  ['acah-leading-comma', 'X-Custom with ACAH ",X-Custom"', h([['X-Custom', '1']]), [[ACAH, ',X-Custom']], false],
  ['acah-invalid-space', 'ACAH "X-Custom Bad" (not a token)', h([['X-Custom', '1']]), [[ACAH, 'X-Custom Bad']], false],
  ['acah-invalid-semicolon', 'ACAH "X-Custom;"', h([['X-Custom', '1']]), [[ACAH, 'X-Custom;']], false],
  ['acah-invalid-quoted', 'ACAH "\\"X-Custom\\""', h([['X-Custom', '1']]), [[ACAH, '"X-Custom"']], false],
  [
    'acah-invalid-but-not-needed',
    'Malformed ACAH on a PUT preflight without custom headers',
    { ...put },
    [[ACAH, 'a b']],
    false,
  ],
  [
    'x-requested-with-missing',
    'X-Requested-With (jQuery) not listed',
    h([['X-Requested-With', 'XMLHttpRequest']]),
    [[ACAH, 'Content-Type']],
    false,
  ],
  [
    'put-custom-listed',
    'PUT + X-Custom, both listed',
    h([['X-Custom', '1']], false, 'PUT'),
    [[ACAH, 'x-custom']],
    false,
  ],
  [
    'xhr-custom-missing',
    'XHR with X-Custom not listed',
    { api: 'xhr', method: 'GET', headers: [['X-Custom', '1']] },
    null,
    false,
  ],
  [
    'xhr-custom-star-credentials',
    'XHR withCredentials + X-Custom with ACAH *',
    { api: 'xhr', method: 'GET', headers: [['X-Custom', '1']], withCredentials: true },
    [[ACAH, '*']],
    true,
  ],
  [
    'xhr-authorization-listed',
    'XHR with Authorization listed',
    { api: 'xhr', method: 'GET', headers: [['Authorization', 'Basic dTpw']] },
    [[ACAH, 'Authorization']],
    false,
  ],
];
for (const [id, desc, call, acah, cred] of headerCases) {
  const acam: RawHeader[] = call.api === 'fetch' && call.method === 'PUT' ? [[ACAM, 'PUT']] : [];
  one(
    'preflight-headers',
    `header-${id}`,
    desc,
    call,
    actualFor(cred),
    r(204, [...(cred ? [exact, acacTrue] : [star]), ...acam, ...(acah ?? [])]),
    { cookie: cred },
  );
}

// ---------------------------------------------------------------------------------------------------
// forced-preflight: XHR with an upload listener sets the use-CORS-preflight flag (https://xhr.spec.whatwg.org/#the-send()-method)

const xhrUp = (more: Partial<PageCall> = {}): PageCall =>
  ({ api: 'xhr', method: 'POST', body: 'hello', uploadListener: true, ...more }) as PageCall;
one(
  'forced-preflight',
  'forced-preflight-ok',
  'XHR POST text/plain with an upload listener; preflight ACAO *: allowed',
  xhrUp(),
  r(200, [star]),
  r(204, [star]),
);
one(
  'forced-preflight',
  'forced-preflight-no-options-route',
  'XHR POST with upload listener; OPTIONS 404 without CORS',
  xhrUp(),
  r(200, [star]),
  r(404, []),
);
one(
  'forced-preflight',
  'forced-preflight-no-acao',
  'XHR POST with upload listener; OPTIONS 204 without ACAO',
  xhrUp(),
  r(200, [star]),
  r(204, []),
);
one(
  'forced-preflight',
  'forced-preflight-status-500',
  'XHR POST with upload listener; OPTIONS 500 with CORS',
  xhrUp(),
  r(200, [star]),
  r(500, [star]),
);
one(
  'forced-preflight',
  'forced-preflight-acam-other',
  'XHR POST with upload listener; ACAM PUT only (POST is safelisted anyway)',
  xhrUp(),
  r(200, [star]),
  r(204, [star, [ACAM, 'PUT']]),
);
one(
  'forced-preflight',
  'forced-preflight-credentials-ok',
  'XHR withCredentials POST with upload listener; exact ACAO + ACAC',
  xhrUp({ withCredentials: true }),
  r(200, [exact, acacTrue]),
  r(204, [exact, acacTrue]),
  { cookie: true },
);
one(
  'forced-preflight',
  'forced-preflight-credentials-star',
  'XHR withCredentials POST with upload listener; preflight ACAO *',
  xhrUp({ withCredentials: true }),
  r(200, [exact, acacTrue]),
  r(204, [star]),
  { cookie: true },
);
one(
  'forced-preflight',
  'forced-preflight-get-no-body',
  'XHR GET with an upload listener: no body, so no forced preflight',
  { api: 'xhr', method: 'GET', uploadListener: true },
  r(200, [star]),
  r(404, []),
);

// ---------------------------------------------------------------------------------------------------
// redirect: CORS across redirects (https://fetch.spec.whatwg.org/#http-redirect-fetch), incl. taint to Origin: null

const to = (
  key: 'A' | 'B' | 'C' | 'LB' | 'X' | 'data' | 'ftp',
  status = 302,
  headers: RawHeader[] = [star],
  userinfo?: string,
): Resp => r(status, headers, { redirect: { to: key, userinfo } });
const redirects: Array<[string, string, PageCall, Hop[], Partial<Scenario>?]> = [
  ['b-to-b-star', 'B 302 → B, ACAO * on both hops', get, [{ actual: to('B') }, { actual: r(200, [star]) }]],
  [
    'b-to-b-first-hop-missing',
    'B 302 without ACAO → B with ACAO *: the redirect itself fails the CORS check',
    get,
    [{ actual: to('B', 302, []) }, { actual: r(200, [star]) }],
  ],
  ['b-to-b-second-hop-missing', 'B 302 (ACAO *) → B without ACAO', get, [{ actual: to('B') }, { actual: r(200, []) }]],
  [
    'b-to-c-star',
    'B → C (another origin): Origin becomes null; C answers ACAO *',
    get,
    [{ actual: to('C') }, { actual: r(200, [star]) }],
  ],
  [
    'b-to-c-page-origin',
    'B → C: C answers ACAO <page origin> but the request origin is now null',
    get,
    [{ actual: to('C') }, { actual: r(200, [exact]) }],
  ],
  ['b-to-c-null', 'B → C: C answers ACAO null', get, [{ actual: to('C') }, { actual: r(200, [[ACAO, 'null']]) }]],
  [
    'b-to-c-echo',
    'B → C: C echoes the Origin header (null)',
    get,
    [{ actual: to('C') }, { actual: r(200, [[ACAO, '{origin}']]) }],
  ],
  ['b-to-c-missing', 'B → C without ACAO at C', get, [{ actual: to('C') }, { actual: r(200, []) }]],
  [
    'b-to-c-null-credentials',
    'Credentialed B → C: ACAO null + ACAC true at C',
    getCred,
    [{ actual: to('C', 302, [exact, acacTrue]) }, { actual: r(200, [[ACAO, 'null'], acacTrue]) }],
    { cookie: true },
  ],
  [
    'b-to-c-star-credentials',
    'Credentialed B → C: C answers ACAO *',
    getCred,
    [{ actual: to('C', 302, [exact, acacTrue]) }, { actual: r(200, [star]) }],
    { cookie: true },
  ],
  [
    'b-to-c-redirect-star-credentials',
    'Credentialed request whose redirect hop says ACAO *',
    getCred,
    [{ actual: to('C', 302, [star]) }, { actual: r(200, [[ACAO, 'null'], acacTrue]) }],
    { cookie: true },
  ],
  [
    'b-to-page-origin-missing',
    'B → back to the page origin A: still tainted, A sends no ACAO',
    get,
    [{ actual: to('A') }, { actual: r(200, []) }],
  ],
  [
    'b-to-page-origin-star',
    'B → back to the page origin A which answers ACAO *',
    get,
    [{ actual: to('A') }, { actual: r(200, [star]) }],
  ],
  [
    'b-to-localhost-b-star',
    'B → localhost:B (other origin, same port): taint; ACAO *',
    get,
    [{ actual: to('LB') }, { actual: r(200, [star]) }],
  ],
  [
    'b-to-localhost-b-exact',
    'B → localhost:B: ACAO <page origin> after taint',
    get,
    [{ actual: to('LB') }, { actual: r(200, [exact]) }],
  ],
  [
    'a-to-b-star',
    'Same-origin URL 302 → B with ACAO *: becomes a CORS request, allowed',
    get,
    [{ actual: r(302, [], { redirect: { to: 'B' } }) }, { actual: r(200, [star]) }],
    { target: 'A' },
  ],
  [
    'a-to-b-missing',
    'Same-origin URL 302 → B without ACAO',
    get,
    [{ actual: r(302, [], { redirect: { to: 'B' } }) }, { actual: r(200, []) }],
    { target: 'A' },
  ],
  [
    'a-to-b-exact',
    'Same-origin URL → B with ACAO <page origin> (no taint: the first hop was same-origin)',
    get,
    [{ actual: r(302, [], { redirect: { to: 'B' } }) }, { actual: r(200, [exact]) }],
    { target: 'A' },
  ],
  [
    'a-to-b-same-origin-mode',
    'mode:same-origin request redirected cross-origin',
    { api: 'fetch', mode: 'same-origin' },
    [{ actual: r(302, [], { redirect: { to: 'B' } }) }, { actual: r(200, [star]) }],
    { target: 'A' },
  ],
  [
    'a-to-a',
    'Same-origin redirect within A: no CORS at all',
    get,
    [{ actual: r(302, [], { redirect: { to: 'A' } }) }, { actual: r(200, []) }],
    { target: 'A' },
  ],
  [
    'a-to-b-to-a',
    'A → B (ACAO *) → A: back home but tainted, A answers nothing',
    get,
    [{ actual: r(302, [], { redirect: { to: 'B' } }) }, { actual: to('A') }, { actual: r(200, []) }],
    { target: 'A' },
  ],
  [
    'b-to-c-to-b-star',
    'Three hops B → C → B with ACAO * everywhere',
    get,
    [{ actual: to('C') }, { actual: to('B') }, { actual: r(200, [star]) }],
  ],
  ['301-get-star', '301 GET with ACAO * on both hops', get, [{ actual: to('B', 301) }, { actual: r(200, [star]) }]],
  [
    '303-post-becomes-get',
    'POST 303 → GET with ACAO * on both',
    postText,
    [{ actual: to('B', 303) }, { actual: r(200, [star]) }],
  ],
  ['302-post-becomes-get', 'POST 302 → GET', postText, [{ actual: to('B', 302) }, { actual: r(200, [star]) }]],
  [
    '307-post-kept',
    'POST 307 keeps the method and body',
    postText,
    [{ actual: to('B', 307) }, { actual: r(200, [star]) }],
  ],
  [
    '308-post-kept-missing',
    'POST 308 kept, target without ACAO',
    postText,
    [{ actual: to('B', 308) }, { actual: r(200, []) }],
  ],
  [
    'userinfo-b-to-b',
    'B redirects to a Location with user:pass@ (same origin as B)',
    get,
    [{ actual: to('B', 302, [star], 'user:pass') }, { actual: r(200, [star]) }],
  ],
  [
    'userinfo-b-to-c',
    'B redirects to user:pass@C',
    get,
    [{ actual: to('C', 302, [star], 'user:pass') }, { actual: r(200, [star]) }],
  ],
  [
    'userinfo-a-to-b',
    'Same-origin URL redirects to user:pass@B',
    get,
    [{ actual: r(302, [], { redirect: { to: 'B', userinfo: 'user:pass' } }) }, { actual: r(200, [star]) }],
    { target: 'A' },
  ],
  [
    'userinfo-a-to-a',
    'Same-origin URL redirects to user:pass@A (same origin: allowed)',
    get,
    [{ actual: r(302, [], { redirect: { to: 'A', userinfo: 'user:pass' } }) }, { actual: r(200, []) }],
    { target: 'A' },
  ],
  [
    'userinfo-username-only',
    'B redirects to user@B (username only)',
    get,
    [{ actual: to('B', 302, [star], 'user') }, { actual: r(200, [star]) }],
  ],
  ['to-data-url', 'B (ACAO *) redirects to a data: URL', get, [{ actual: to('data') }]],
  ['to-ftp-url', 'B (ACAO *) redirects to an ftp: URL', get, [{ actual: to('ftp') }]],
  ['to-closed-port', 'B (ACAO *) redirects to a port nobody listens on', get, [{ actual: to('X') }]],
  [
    'manual-mode',
    'redirect:"manual": an opaque-redirect response, no CORS check on the hop',
    { api: 'fetch', redirect: 'manual' },
    [{ actual: to('C', 302, []) }, { actual: r(200, []) }],
  ],
  [
    'error-mode',
    'redirect:"error": the fetch fails at the 302 (not a CORS error)',
    { api: 'fetch', redirect: 'error' },
    [{ actual: to('B') }, { actual: r(200, [star]) }],
  ],
  [
    'preflighted-put-307-same-origin-hop',
    'Preflighted PUT, actual 307 → B again (same origin as B)',
    put,
    [
      { preflight: pfOk(), actual: to('B', 307) },
      { preflight: pfOk(), actual: r(200, [star]) },
    ],
  ],
  [
    'preflighted-put-307-to-c',
    'Preflighted PUT, actual 307 → C: new preflight with Origin null',
    put,
    [
      { preflight: pfOk(), actual: to('C', 307) },
      { preflight: pfOk(), actual: r(200, [star]) },
    ],
  ],
  [
    'preflighted-put-307-to-c-no-preflight-route',
    'Preflighted PUT, 307 → C, C has no OPTIONS route',
    put,
    [{ preflight: pfOk(), actual: to('C', 307) }, { actual: r(200, [star]) }],
  ],
  [
    'preflighted-put-307-to-c-exact',
    'Preflighted PUT → C whose preflight says ACAO <page origin> (origin is null now)',
    put,
    [
      { preflight: pfOk(), actual: to('C', 307) },
      { preflight: r(204, [exact, [ACAM, 'PUT']]), actual: r(200, [exact]) },
    ],
  ],
  [
    'custom-header-302-to-c',
    'GET with X-Custom, preflight OK at B, 302 → C which handles OPTIONS with ACAO *',
    h([['X-Custom', '1']]),
    [
      { preflight: r(204, [star, [ACAH, 'X-Custom']]), actual: to('C') },
      { preflight: r(204, [star, [ACAH, 'X-Custom']]), actual: r(200, [star]) },
    ],
  ],
  [
    'a-to-b-custom-header-preflight',
    'Same-origin GET with X-Custom 302 → B: a preflight is needed at B',
    h([['X-Custom', '1']]),
    [
      { actual: r(302, [], { redirect: { to: 'B' } }) },
      { preflight: r(204, [exact, [ACAH, 'X-Custom']]), actual: r(200, [exact]) },
    ],
    { target: 'A' },
  ],
  [
    'a-to-b-custom-header-no-preflight-route',
    'Same-origin GET with X-Custom 302 → B without an OPTIONS route',
    h([['X-Custom', '1']]),
    [{ actual: r(302, [], { redirect: { to: 'B' } }) }, { actual: r(200, [exact]) }],
    { target: 'A' },
  ],
  [
    'xhr-b-to-c-star',
    'XHR B → C with ACAO * on both',
    { api: 'xhr', method: 'GET' },
    [{ actual: to('C') }, { actual: r(200, [star]) }],
  ],
  [
    'xhr-b-to-c-exact',
    'XHR B → C with ACAO <page origin> at C (origin null)',
    { api: 'xhr', method: 'GET' },
    [{ actual: to('C') }, { actual: r(200, [exact]) }],
  ],
  [
    'img-crossorigin-b-to-c-star',
    '<img crossorigin> B → C with ACAO * on both',
    { api: 'img', crossorigin: 'anonymous' },
    [{ actual: to('C') }, { actual: r(200, [star]) }],
  ],
  [
    'img-crossorigin-b-to-c-missing-on-hop',
    '<img crossorigin> B (no ACAO) → C (ACAO *)',
    { api: 'img', crossorigin: 'anonymous' },
    [{ actual: to('C', 302, []) }, { actual: r(200, [star]) }],
  ],
  [
    'img-plain-b-to-c',
    'Plain <img> (no-cors) B → C without any CORS header',
    { api: 'img' },
    [{ actual: to('C', 302, []) }, { actual: r(200, []) }],
  ],
  [
    'no-cors-fetch-b-to-c',
    'fetch mode:no-cors B → C without CORS headers: opaque',
    { api: 'fetch', mode: 'no-cors' },
    [{ actual: to('C', 302, []) }, { actual: r(200, []) }],
  ],
];
for (const [id, desc, call, hops, more] of redirects) add('redirect', `redirect-${id}`, desc, call, hops, more ?? {});
{
  // 21 redirects: over the limit of 20 (https://fetch.spec.whatwg.org/#http-redirect-fetch step 5).
  const hops: Hop[] = [];
  for (let i = 0; i < 21; i++) hops.push({ actual: r(302, [star], { redirect: { to: 'B' } }) });
  hops.push({ actual: r(200, [star]) });
  add(
    'redirect',
    'redirect-too-many',
    '21 same-origin-to-B redirects with ACAO *: too many redirects (network error)',
    get,
    hops,
  );
}

// ---------------------------------------------------------------------------------------------------
// mode: request modes (https://fetch.spec.whatwg.org/#concept-request-mode)

one(
  'mode',
  'mode-same-origin-cross-origin',
  'fetch mode:same-origin to B: DisallowedByMode, nothing sent',
  { api: 'fetch', mode: 'same-origin' },
  r(200, [star]),
);
one(
  'mode',
  'mode-same-origin-same-origin',
  'fetch mode:same-origin to A: no CORS involved',
  { api: 'fetch', mode: 'same-origin' },
  r(200, []),
  undefined,
  { target: 'A' },
);
one('mode', 'mode-cors-same-origin', 'fetch to A itself: same-origin, no CORS check', get, r(200, []), undefined, {
  target: 'A',
});
one(
  'mode',
  'mode-cors-same-origin-put',
  'PUT with a custom header to A itself: no preflight',
  h([['X-Custom', '1']], false, 'PUT'),
  r(200, []),
  r(404, []),
  { target: 'A' },
);
one(
  'mode',
  'mode-no-cors-get',
  'fetch mode:no-cors GET to B without ACAO: opaque response, no error',
  { api: 'fetch', mode: 'no-cors' },
  r(200, []),
);
one(
  'mode',
  'mode-no-cors-post',
  'fetch mode:no-cors POST text to B without ACAO: opaque',
  { api: 'fetch', mode: 'no-cors', method: 'POST', body: { kind: 'text', text: 'x' } },
  r(200, []),
);
one(
  'mode',
  'mode-no-cors-custom-header-dropped',
  'mode:no-cors silently drops X-Custom (request-no-cors guard); no preflight',
  { api: 'fetch', mode: 'no-cors', headers: [['X-Custom', '1']] },
  r(200, []),
  r(404, []),
);
one(
  'mode',
  'mode-no-cors-credentials-cookie',
  'mode:no-cors credentials:include with a cookie: opaque, cookie sent',
  { api: 'fetch', mode: 'no-cors', credentials: 'include' },
  r(200, []),
  undefined,
  { cookie: true },
);
one(
  'mode',
  'mode-no-cors-500',
  'mode:no-cors to a 500: still opaque success',
  { api: 'fetch', mode: 'no-cors' },
  r(500, []),
);
one(
  'mode',
  'mode-no-cors-redirect-manual',
  'mode:no-cors with redirect:manual is rejected by fetch() (NoCorsRedirectModeNotFollow)',
  { api: 'fetch', mode: 'no-cors', redirect: 'manual' },
  r(200, []),
);
one(
  'mode',
  'mode-no-cors-with-acao-star',
  'mode:no-cors even when the server sends ACAO *: opaque',
  { api: 'fetch', mode: 'no-cors' },
  r(200, [star]),
);
one(
  'mode',
  'mode-cors-localhost-page-port-missing',
  'fetch to localhost:A (other origin) without ACAO',
  get,
  r(200, []),
  undefined,
  { target: 'LA' },
);
one('mode', 'mode-scheme-fetch-ftp', 'fetch("ftp://…") from an http page', get, r(200, []), undefined, {
  rawUrl: 'ftp://127.0.0.1:{portB}/s/mode-scheme-fetch-ftp/0',
});
one(
  'mode',
  'mode-scheme-xhr-ftp',
  'XHR to ftp://… from an http page',
  { api: 'xhr', method: 'GET' },
  r(200, []),
  undefined,
  { rawUrl: 'ftp://127.0.0.1:{portB}/s/mode-scheme-xhr-ftp/0' },
);

// ---------------------------------------------------------------------------------------------------
// elements: <img>/<script> with and without crossorigin (https://html.spec.whatwg.org/#cors-settings-attributes)

const img: PageCall = { api: 'img', crossorigin: 'anonymous' };
const script: PageCall = { api: 'script', crossorigin: 'anonymous' };
one('elements', 'img-plain-no-acao', 'Plain <img> (no-cors) without ACAO loads', { api: 'img' }, r(200, []));
one(
  'elements',
  'img-plain-cookie',
  'Plain <img> with a cookie: no-cors, credentials included, no CORS check',
  { api: 'img' },
  r(200, []),
  undefined,
  { cookie: true },
);
one('elements', 'img-anon-no-acao', '<img crossorigin> without ACAO', img, r(200, []));
one('elements', 'img-anon-star', '<img crossorigin> with ACAO *', img, r(200, [star]));
one('elements', 'img-anon-exact', '<img crossorigin> with exact ACAO', img, r(200, [exact]));
one('elements', 'img-anon-mismatch', '<img crossorigin> with a mismatching ACAO', img, r(200, [[ACAO, '{C}']]));
one('elements', 'img-anon-two-lines', '<img crossorigin> with two ACAO lines', img, r(200, [exact, star]));
one('elements', 'img-anon-invalid', '<img crossorigin> with ACAO "example.com"', img, r(200, [[ACAO, 'example.com']]));
one(
  'elements',
  'img-anon-star-cookie',
  '<img crossorigin=anonymous> with a cookie set: no credentials, ACAO * is fine',
  img,
  r(200, [star]),
  undefined,
  { cookie: true },
);
one('elements', 'script-plain-no-acao', 'Plain <script> (no-cors) without ACAO loads', { api: 'script' }, r(200, []));
one('elements', 'script-anon-no-acao', '<script crossorigin> without ACAO', script, r(200, []));
one('elements', 'script-anon-star', '<script crossorigin> with ACAO *', script, r(200, [star]));
one(
  'elements',
  'script-anon-mismatch-trailing-slash',
  '<script crossorigin> with ACAO trailing slash',
  script,
  r(200, [[ACAO, '{page}/']]),
);
one('elements', 'script-anon-two-lines', '<script crossorigin> with two ACAO lines', script, r(200, [star, star]));

// ---------------------------------------------------------------------------------------------------
// exposure: response headers script may read (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name)

const xrid: RawHeader = ['X-Request-Id', 'abc123'];
const etag: RawHeader = ['ETag', '"v1"'];
const exposure: Array<[string, string, PageCall, RawHeader[], string[], boolean?]> = [
  ['request-id-hidden', 'X-Request-Id sent without ACEH: invisible to script', get, [star, xrid], ['x-request-id']],
  ['request-id-listed', 'X-Request-Id listed in ACEH', get, [star, xrid, [ACEH, 'X-Request-Id']], ['x-request-id']],
  [
    'request-id-listed-lowercase',
    'X-Request-Id exposed by a lowercase ACEH entry',
    get,
    [star, xrid, [ACEH, 'x-request-id']],
    ['x-request-id'],
  ],
  ['etag-hidden', 'ETag without ACEH', get, [star, etag], ['etag']],
  [
    'etag-and-request-id-one-listed',
    'ETag and X-Request-Id, ACEH lists ETag only',
    get,
    [star, etag, xrid, [ACEH, 'ETag']],
    ['etag', 'x-request-id'],
  ],
  [
    'star-no-credentials',
    'ACEH * without credentials exposes everything',
    get,
    [star, xrid, etag, [ACEH, '*']],
    ['x-request-id', 'etag'],
  ],
  [
    'star-with-credentials',
    'ACEH * with credentials is a literal "*": nothing exposed',
    getCred,
    [exact, acacTrue, xrid, etag, [ACEH, '*']],
    ['x-request-id', 'etag'],
    true,
  ],
  [
    'star-and-listed-with-credentials',
    'ACEH "*, X-Request-Id" with credentials exposes only X-Request-Id',
    getCred,
    [exact, acacTrue, xrid, etag, [ACEH, '*, X-Request-Id']],
    ['x-request-id', 'etag'],
    true,
  ],
  [
    'listed-with-credentials',
    'ACEH X-Request-Id with credentials',
    getCred,
    [exact, acacTrue, xrid, [ACEH, 'X-Request-Id']],
    ['x-request-id'],
    true,
  ],
  [
    'location-201-hidden',
    'POST answered 201 with Location, not exposed',
    postText,
    [star, ['Location', '/items/42']],
    ['location'],
  ],
  [
    'location-201-listed',
    'POST answered 201 with Location listed in ACEH',
    postText,
    [star, ['Location', '/items/42'], [ACEH, 'Location']],
    ['location'],
  ],
  [
    'safelisted-visible',
    'CORS-safelisted response headers are visible without ACEH',
    get,
    [
      star,
      ['Cache-Control', 'no-cache'],
      ['Content-Language', 'en'],
      ['Expires', '0'],
      ['Last-Modified', 'Wed, 21 Oct 2015 07:28:00 GMT'],
      ['Pragma', 'no-cache'],
    ],
    ['cache-control', 'content-language', 'expires', 'last-modified', 'pragma'],
  ],
  [
    'set-cookie-listed',
    'Set-Cookie listed in ACEH is still never exposed',
    get,
    [star, ['Set-Cookie', 'other=1'], [ACEH, 'Set-Cookie']],
    ['set-cookie'],
  ],
  [
    'two-aceh-lines',
    'ACEH on two lines (X-Request-Id / ETag)',
    get,
    [star, xrid, etag, [ACEH, 'X-Request-Id'], [ACEH, 'ETag']],
    ['x-request-id', 'etag'],
  ],
  [
    'pagination-hidden',
    'X-Total-Count and Link without ACEH',
    get,
    [star, ['X-Total-Count', '42'], ['Link', '</p2>; rel="next"']],
    ['x-total-count', 'link'],
  ],
  [
    'content-disposition-hidden',
    'Content-Disposition without ACEH',
    get,
    [star, ['Content-Disposition', 'attachment; filename="a.txt"']],
    ['content-disposition'],
  ],
  [
    'aceh-invalid-list',
    'ACEH "X-Request-Id X" (not a token list)',
    get,
    [star, xrid, [ACEH, 'X-Request-Id X']],
    ['x-request-id'],
  ],
  [
    'xhr-request-id-hidden',
    'XHR: X-Request-Id without ACEH',
    { api: 'xhr', method: 'GET' },
    [star, xrid],
    ['x-request-id'],
  ],
  [
    'xhr-request-id-listed',
    'XHR: X-Request-Id with ACEH',
    { api: 'xhr', method: 'GET' },
    [star, xrid, [ACEH, 'X-Request-Id']],
    ['x-request-id'],
  ],
];
for (const [id, desc, call, headers, watch, cookie] of exposure) {
  const status = id.startsWith('location-201') ? 201 : 200;
  one('exposure', `expose-${id}`, desc, call, r(status, headers), undefined, {
    watchHeaders: watch,
    cookie: cookie ?? false,
  });
}
one(
  'exposure',
  'expose-preflighted-request-id-hidden',
  'Preflighted PUT allowed, X-Request-Id on the response not exposed',
  put,
  r(200, [star, xrid]),
  pfOk(),
  { watchHeaders: ['x-request-id'] },
);

// ---------------------------------------------------------------------------------------------------
// preflight-cache: the same URL requested again (https://fetch.spec.whatwg.org/#cors-preflight-cache)

const putX: PageCall = { api: 'fetch', method: 'PUT', headers: [['X-Custom', '1']], body: { kind: 'text', text: 'x' } };
const pfCache = (maxAge: string | null, more: RawHeader[] = []): Resp =>
  r(204, [
    star,
    [ACAM, 'PUT, DELETE'],
    [ACAH, 'X-Custom'],
    ...(maxAge === null ? [] : [[ACMA, maxAge] as RawHeader]),
    ...more,
  ]);
const cacheCases: Array<[string, string, PageCall, PageCall[], Resp, Resp?]> = [
  [
    'max-age-600-twice',
    'PUT + X-Custom twice, Max-Age 600: Chromium reuses the preflight',
    putX,
    [putX],
    pfCache('600'),
  ],
  ['max-age-600-three-times', 'PUT + X-Custom three times, Max-Age 600', putX, [putX, putX], pfCache('600')],
  ['no-max-age-twice', 'PUT twice without Max-Age (default 5 s)', putX, [putX], pfCache(null)],
  ['max-age-0-twice', 'PUT twice with Max-Age 0: never cached', putX, [putX], pfCache('0')],
  ['max-age-negative-twice', 'PUT twice with Max-Age -1', putX, [putX], pfCache('-1')],
  ['max-age-invalid-twice', 'PUT twice with Max-Age "10s" (not delta-seconds)', putX, [putX], pfCache('10s')],
  [
    'max-age-600-then-other-method',
    'PUT then DELETE (both in ACAM), Max-Age 600',
    putX,
    [{ ...putX, method: 'DELETE' }],
    pfCache('600'),
  ],
  [
    'max-age-600-then-other-header',
    'PUT + X-Custom, then PUT + X-Other (not in ACAH): new preflight, blocked',
    putX,
    [{ ...putX, headers: [['X-Other', '1']] }],
    pfCache('600'),
  ],
  [
    'max-age-600-then-credentials',
    'PUT without credentials, then with credentials: the cache entry does not cover credentials',
    putX,
    [{ ...putX, credentials: 'include' }],
    r(204, [exact, acacTrue, [ACAM, 'PUT, DELETE'], [ACAH, 'X-Custom'], [ACMA, '600']]),
    r(200, [exact, acacTrue]),
  ],
  ['max-age-600-then-simple-get', 'PUT then a plain GET to the same URL', putX, [get], pfCache('600')],
  [
    'max-age-600-get-header-twice',
    'GET + X-Custom twice, Max-Age 600',
    h([['X-Custom', '1']]),
    [h([['X-Custom', '1']])],
    pfCache('600'),
  ],
  [
    'max-age-7200-twice',
    'PUT twice with Max-Age 86400 (capped at 2 h in Chromium, 24 h in Firefox)',
    putX,
    [putX],
    pfCache('86400'),
  ],
  [
    'xhr-upload-twice',
    'XHR POST with upload listener twice, Max-Age 600',
    xhrUp(),
    [xhrUp()],
    r(204, [star, [ACMA, '600']]),
  ],
];
for (const [id, desc, call, then, pf, actual] of cacheCases) {
  one('preflight-cache', `cache-${id}`, desc, call, actual ?? r(200, [star]), pf, { then });
}

// ---------------------------------------------------------------------------------------------------
// 3xx that are not redirects: only 301, 302, 303, 307 and 308 are redirect statuses
// (https://fetch.spec.whatwg.org/#redirect-status); Chromium follows them only with a Location
// (net/http/http_response_headers.cc IsRedirect). Each status with and without Location, on the preflight and
// on the actual request. The actual request's 3xx carries ACAO * and its Location target has none, so a
// followed redirect is blocked (MissingAllowOriginHeader) while an unfollowed 3xx is the response (allowed).

for (const status of [300, 301, 302, 303, 304, 305, 306, 307, 308]) {
  one(
    'preflight-status',
    `preflight-3xx-${status}-location`,
    `Preflight answered ${status} with CORS headers and a Location`,
    put,
    r(200, [star]),
    r(status, [star, [ACAM, 'PUT']], { redirect: { to: 'B', hop: 1 } }),
  );
  one(
    'preflight-status',
    `preflight-3xx-${status}-no-location`,
    `Preflight answered ${status} with CORS headers and no Location`,
    put,
    r(200, [star]),
    r(status, [star, [ACAM, 'PUT']]),
  );
  add(
    'redirect',
    `actual-3xx-${status}-location`,
    `GET answered ${status} with ACAO * and a Location to B without ACAO`,
    get,
    [{ actual: r(status, [star], { redirect: { to: 'B' } }) }, { actual: r(200, []) }],
  );
  one(
    'redirect',
    `actual-3xx-${status}-no-location`,
    `GET answered ${status} with ACAO * and no Location`,
    get,
    r(status, [star]),
  );
}

// ---------------------------------------------------------------------------------------------------
// Several refused request headers: which one the browser names (Chromium's failedParameter, Firefox's message).
// Orders and letter cases vary; the preflight lists none of them (or one, where noted).

const refusedHeaderCases: Array<[string, Array<[string, string]>, string | null]> = [
  // [id suffix, request headers in the order the page sets them, ACAH value or null]
  [
    'two-alpha-beta',
    [
      ['X-Alpha', '1'],
      ['X-Beta', '1'],
    ],
    null,
  ],
  [
    'two-beta-alpha',
    [
      ['X-Beta', '1'],
      ['X-Alpha', '1'],
    ],
    null,
  ],
  [
    'two-beta-alpha-lowercase',
    [
      ['x-beta', '1'],
      ['x-alpha', '1'],
    ],
    null,
  ],
  [
    'two-mixed-case',
    [
      ['X-BETA', '1'],
      ['x-Alpha', '1'],
    ],
    'X-Other',
  ],
  [
    'two-zeta-custom',
    [
      ['X-Zeta', '1'],
      ['X-Custom', '1'],
    ],
    'X-Other',
  ],
  [
    'two-custom-zeta',
    [
      ['X-Custom', '1'],
      ['X-Zeta', '1'],
    ],
    'X-Other',
  ],
  [
    'three-alpha-mid-zeta',
    [
      ['X-Alpha', '1'],
      ['X-Mid', '1'],
      ['X-Zeta', '1'],
    ],
    null,
  ],
  [
    'three-zeta-mid-alpha',
    [
      ['X-Zeta', '1'],
      ['X-Mid', '1'],
      ['X-Alpha', '1'],
    ],
    null,
  ],
  [
    'three-mid-zeta-alpha',
    [
      ['X-Mid', '1'],
      ['X-Zeta', '1'],
      ['X-Alpha', '1'],
    ],
    null,
  ],
  [
    'three-mid-alpha-zeta-upper',
    [
      ['X-MID', '1'],
      ['X-ALPHA', '1'],
      ['X-ZETA', '1'],
    ],
    'X-Other',
  ],
  [
    'three-one-listed',
    [
      ['X-Zeta', '1'],
      ['X-Alpha', '1'],
      ['X-Mid', '1'],
    ],
    'x-alpha',
  ],
  [
    'three-request-id-token-trace',
    [
      ['X-Trace', '1'],
      ['X-Request-Id', '1'],
      ['X-Token', '1'],
    ],
    null,
  ],
  [
    'three-trace-token-request-id',
    [
      ['X-Token', '1'],
      ['X-Trace', '1'],
      ['X-Request-Id', '1'],
    ],
    null,
  ],
  [
    'auth-and-custom',
    [
      ['X-Custom', '1'],
      ['Authorization', 'Bearer t'],
    ],
    'Content-Type',
  ],
  [
    'custom-and-auth',
    [
      ['Authorization', 'Bearer t'],
      ['X-Custom', '1'],
    ],
    'Content-Type',
  ],
  [
    'json-and-custom',
    [
      ['X-Custom', '1'],
      ['Content-Type', 'application/json'],
    ],
    'X-Other',
  ],
  [
    'json-auth-custom',
    [
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer t'],
      ['X-Custom', '1'],
    ],
    null,
  ],
  [
    'api-key-and-requested-with',
    [
      ['X-Requested-With', 'XMLHttpRequest'],
      ['X-Api-Key', 'k'],
    ],
    null,
  ],
];
for (const [id, headers, acah] of refusedHeaderCases) {
  const names = headers.map(([n]) => n).join(', ');
  const method = headers.some(([n]) => n === 'Content-Type') ? 'POST' : 'GET';
  one(
    'preflight-headers',
    `refused-headers-${id}`,
    `Request headers ${names}; ACAH ${acah ?? 'absent'}: which refused header is named`,
    h(headers, false, method),
    r(200, [star]),
    r(204, [star, ...(acah === null ? [] : [[ACAH, acah] as RawHeader])]),
  );
  one(
    'preflight-headers',
    `refused-headers-xhr-${id}`,
    `XHR setRequestHeader ${names}; ACAH ${acah ?? 'absent'}`,
    { api: 'xhr', method, headers, body: method === 'POST' ? 'x' : undefined },
    r(200, [star]),
    r(204, [star, ...(acah === null ? [] : [[ACAH, acah] as RawHeader])]),
  );
}
// Control: the same headers all allowed, so the actual request goes out and the wire shows Chromium's header order.
one(
  'preflight-headers',
  'refused-headers-control-three-listed',
  'X-Alpha, X-Zeta, X-Mid all listed: allowed; the wire shows the order the browser sends them in',
  h([
    ['X-Alpha', '1'],
    ['X-Zeta', '1'],
    ['X-Mid', '1'],
  ]),
  r(200, [star]),
  r(204, [star, [ACAH, 'X-Mid, X-Alpha, X-Zeta']]),
);
// A request has one method, so "several refused" means the method and headers together: the method is checked first.
const refusedMethodCases: Array<[string, string, Array<[string, string]>, string]> = [
  [
    'put-two-headers',
    'PUT',
    [
      ['X-Beta', '1'],
      ['X-Alpha', '1'],
    ],
    'GET',
  ],
  [
    'delete-three-headers',
    'DELETE',
    [
      ['X-Zeta', '1'],
      ['X-Mid', '1'],
      ['X-Alpha', '1'],
    ],
    'GET, PUT',
  ],
  [
    'patch-lowercase-two-headers',
    'patch',
    [
      ['X-Beta', '1'],
      ['X-Alpha', '1'],
    ],
    'PATCH',
  ],
  [
    'put-lowercase-listed-two-headers',
    'PUT',
    [
      ['x-beta', '1'],
      ['X-Alpha', '1'],
    ],
    'put',
  ],
  [
    'custom-method-three-headers',
    'FOO',
    [
      ['X-Mid', '1'],
      ['X-Zeta', '1'],
      ['X-Alpha', '1'],
    ],
    'BAR, PUT',
  ],
];
for (const [id, method, headers, acam] of refusedMethodCases) {
  one(
    'preflight-methods',
    `refused-method-${id}`,
    `${method} with ${headers.map(([n]) => n).join(', ')}; ACAM ${acam}, no ACAH`,
    h(headers, false, method),
    r(200, [star]),
    r(204, [star, [ACAM, acam]]),
  );
  one(
    'preflight-methods',
    `refused-method-xhr-${id}`,
    `XHR ${method} with ${headers.map(([n]) => n).join(', ')}; ACAM ${acam}, no ACAH`,
    { api: 'xhr', method, headers, body: 'x' },
    r(200, [star]),
    r(204, [star, [ACAM, acam]]),
  );
}

// ---------------------------------------------------------------------------------------------------
// Failing re-preflights: a preflighted PUT redirected (307/308) through 1–3 hops; every hop leaves the previous
// origin, so the request is tainted (Origin: null) and each hop needs its own preflight. The preflight at hop `k`
// fails, the earlier ones pass (https://fetch.spec.whatwg.org/#http-redirect-fetch step 14 re-runs main fetch).

const hopOrigins: Array<'C' | 'B' | 'LB'> = ['C', 'B', 'LB'];
const rePfFailures: Array<[string, Resp]> = [
  ['no-acao', r(204, [])],
  ['page-origin', r(204, [exact, [ACAM, 'PUT']])],
  ['404', r(404, [])],
  ['no-acam', r(204, [star])],
];
for (const hopsN of [1, 2, 3]) {
  for (let k = 1; k <= hopsN; k++) {
    for (const [status, failures] of [
      [307, rePfFailures.slice(0, hopsN === 1 ? 4 : 1)],
      [308, rePfFailures.slice(0, 1)],
    ] as const) {
      for (const [why, failing] of failures) {
        const hops: Hop[] = [{ preflight: pfOk(), actual: r(status, [star], { redirect: { to: hopOrigins[0] } }) }];
        for (let i = 1; i <= hopsN; i++) {
          const last = i === hopsN;
          const preflight = i === k ? failing : pfOk();
          hops.push({
            preflight,
            actual: last ? r(200, [star]) : r(status, [star], { redirect: { to: hopOrigins[i] } }),
          });
        }
        add(
          'redirect',
          `re-preflight-${status}-hops-${hopsN}-fails-at-${k}-${why}`,
          `Preflighted PUT, ${hopsN} ${status} redirect(s) across origins; the re-preflight at hop ${k} fails (${why})`,
          put,
          hops,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// network: failures that are not CORS errors

one('network', 'net-closed-port-get', 'GET to a closed port: connection refused', get, r(200, [star]), undefined, {
  target: 'X',
});
one(
  'network',
  'net-closed-port-put',
  'Preflighted PUT to a closed port: the preflight fails at the network level',
  put,
  r(200, [star]),
  pfOk(),
  { target: 'X' },
);
one('network', 'net-closed-port-img', '<img crossorigin> to a closed port', img, r(200, [star]), undefined, {
  target: 'X',
});
one(
  'network',
  'net-reset-actual',
  'The server closes the connection instead of answering the GET',
  get,
  r(200, [star], { destroy: true }),
);
one(
  'network',
  'net-reset-preflight',
  'The server closes the connection instead of answering the preflight',
  put,
  r(200, [star]),
  r(204, [], { destroy: true }),
);
one('network', 'net-slow-preflight', 'Preflight answered after 1.5 s, then allowed', put, r(200, [star]), {
  ...pfOk(),
  delayMs: 1500,
});

// ---------------------------------------------------------------------------------------------------
// lna: Local Network Access (https://wicg.github.io/local-network-access/). The page (origin A) is public, the API
// (origin B) loopback: Chromium asks for the loopback-network permission, Firefox for its local-network prompt.

const denied = { lna: { page: 'public', permission: 'denied' } } as const;
const granted = { lna: { page: 'public', permission: 'granted' } } as const;
const insecure = { lna: { page: 'insecure', permission: 'denied' } } as const;
const tas = (targetAddressSpace: 'public' | 'local' | 'loopback'): PageCall => ({ api: 'fetch', targetAddressSpace });
const xhrGet: PageCall = { api: 'xhr', method: 'GET' };
const imgNoCors: PageCall = { api: 'img' };

one(
  'lna',
  'lna-denied-get',
  'Public page, GET to loopback, permission not granted',
  get,
  r(200, [star]),
  undefined,
  denied,
);
one(
  'lna',
  'lna-denied-put-preflighted',
  'Public page, preflighted PUT to loopback, permission not granted: the preflight is refused',
  put,
  r(200, [star]),
  pfOk(),
  denied,
);
one(
  'lna',
  'lna-denied-xhr',
  'Public page, XHR GET to loopback, permission not granted',
  xhrGet,
  r(200, [star]),
  undefined,
  denied,
);
one(
  'lna',
  'lna-denied-img-no-cors',
  'Public page, <img> (no-cors) from loopback, permission not granted',
  imgNoCors,
  r(200, [star]),
  undefined,
  denied,
);
one(
  'lna',
  'lna-denied-tas-loopback',
  "Public page, fetch with targetAddressSpace: 'loopback' (the right one), permission not granted",
  tas('loopback'),
  r(200, [star]),
  undefined,
  denied,
);
one(
  'lna',
  'lna-denied-tas-local',
  "Public page, fetch with targetAddressSpace: 'local' to a loopback target",
  tas('local'),
  r(200, [star]),
  undefined,
  denied,
);
one(
  'lna',
  'lna-denied-tas-public',
  "Public page, fetch with targetAddressSpace: 'public' to a loopback target",
  tas('public'),
  r(200, [star]),
  undefined,
  denied,
);
one(
  'lna',
  'lna-granted-get',
  'Public page with loopback-network granted: GET with ACAO * is allowed',
  get,
  r(200, [star]),
  undefined,
  granted,
);
one(
  'lna',
  'lna-granted-get-no-acao',
  'Public page with loopback-network granted: CORS still decides (no ACAO)',
  get,
  r(200, []),
  undefined,
  granted,
);
one(
  'lna',
  'lna-granted-put-preflighted',
  'Public page with loopback-network granted: preflighted PUT allowed',
  put,
  r(200, [star]),
  pfOk(),
  granted,
);
one(
  'lna',
  'lna-granted-put-preflight-no-acam',
  'Public page with loopback-network granted: the preflight lacks Allow-Methods',
  put,
  r(200, [star]),
  r(204, [star]),
  granted,
);
one(
  'lna',
  'lna-granted-tas-loopback',
  "Public page with loopback-network granted: targetAddressSpace: 'loopback' is allowed",
  tas('loopback'),
  r(200, [star]),
  undefined,
  granted,
);
one(
  'lna',
  'lna-granted-tas-local',
  "Public page with loopback-network granted: targetAddressSpace: 'local' to loopback still fails",
  tas('local'),
  r(200, [star]),
  undefined,
  granted,
);
one(
  'lna',
  'lna-insecure-get',
  'Non-secure public page (http host name), GET to loopback',
  get,
  r(200, [star]),
  undefined,
  insecure,
);
one(
  'lna',
  'lna-insecure-put-preflighted',
  'Non-secure public page, preflighted PUT to loopback',
  put,
  r(200, [star]),
  pfOk(),
  insecure,
);
one(
  'lna',
  'lna-insecure-xhr',
  'Non-secure public page, XHR GET to loopback',
  xhrGet,
  r(200, [star]),
  undefined,
  insecure,
);
one(
  'lna',
  'lna-insecure-tas-local',
  "Non-secure public page, targetAddressSpace: 'local' to a loopback target",
  tas('local'),
  r(200, [star]),
  undefined,
  insecure,
);

export const scenarios: readonly Scenario[] = list;

/** Helper for tests and the recorder. */
export function scenarioById(id: string): Scenario | undefined {
  return list.find((s) => s.id === id);
}

export type { BodySpec };
