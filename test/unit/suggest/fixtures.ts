// Verdicts as the engine emits them, paired with requests from test/support/requests.ts, for the suggestion tests.
import type {
  BlockReason,
  ChromiumCorsError,
  CredentialsMode,
  NotCorsWhy,
  ObservedRequest,
  Verdict,
} from '../../../src/engine/types';
import type { PolicyItem } from '../../../src/suggest/policy';
import { PAGE, API, browserRequest } from '../../support/requests';

const base = (credentials: CredentialsMode | null) => ({
  browser: 'chromium' as const,
  mode: 'cors' as const,
  credentials,
  inferences: [],
  findings: [],
  preflight: 'sent' as const,
  trace: [],
});

export function blocked(
  corsError: ChromiumCorsError,
  opts: Partial<BlockReason> & { credentials?: CredentialsMode | null } = {},
): Verdict {
  const stage =
    opts.stage ??
    (corsError.startsWith('Preflight') || /Preflight|Disallowed/.test(corsError) ? 'preflight' : 'response');
  return {
    ...base(opts.credentials === undefined ? 'same-origin' : opts.credentials),
    kind: 'blocked',
    reason: {
      corsError,
      failedParameter: opts.failedParameter ?? '',
      firefoxReason: opts.firefoxReason ?? 'CORSMissingAllowOrigin',
      exchangeIndex: opts.exchangeIndex ?? 0,
      stage,
      ...(opts.header !== undefined ? { header: opts.header } : {}),
      ...(opts.expected !== undefined ? { expected: opts.expected } : {}),
      ...(opts.actual !== undefined ? { actual: opts.actual } : {}),
    },
  };
}

export function hidden(names: string[], credentials: CredentialsMode | null = 'same-origin'): Verdict {
  return { ...base(credentials), kind: 'allowed-hidden-headers', hiddenHeaders: names };
}

export function allowed(credentials: CredentialsMode | null = 'same-origin'): Verdict {
  return { ...base(credentials), kind: 'allowed' };
}

export function notCors(why: NotCorsWhy, detail = ''): Verdict {
  return { ...base(null), kind: 'not-cors', why, cause: why === 'cors-passed' ? 'http-error' : why, detail };
}

export function unknown(missing: string[]): Verdict {
  return { ...base(null), kind: 'unknown', missing };
}

export const item = (request: ObservedRequest, verdict: Verdict): PolicyItem => ({ request, verdict });

/** The representative scenarios the golden files are rendered from. */
export function goldenScenarios(): Record<'simple' | 'multi', PolicyItem[]> {
  // simple: one uncredentialed PUT with a JSON body from one page, blocked because ACAM lacks PUT.
  const simple = [
    item(
      browserRequest({
        id: 's1',
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        preflight: {
          status: 204,
          headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'GET, POST' },
        },
        response: null,
      }),
      blocked('MethodDisallowedByPreflightResponse', {
        failedParameter: 'PUT',
        actual: 'GET, POST',
        stage: 'preflight',
      }),
    ),
  ];
  // multi: two page origins, credentialed, custom header + Authorization, PATCH, an exposed header, a 500.
  const multi = [
    item(
      browserRequest({
        id: 'm1',
        method: 'PATCH',
        headers: { 'X-Api-Key': 'k', Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        preflight: {
          status: 204,
          headers: {
            'Access-Control-Allow-Origin': '*',
            'Access-Control-Allow-Methods': '*',
            'Access-Control-Allow-Headers': '*',
          },
        },
        response: null,
        cookie: true,
      }),
      blocked('PreflightWildcardOriginNotAllowed', { credentials: 'include', stage: 'preflight' }),
    ),
    item(
      browserRequest({
        id: 'm2',
        initiator: 'https://admin.example.com',
        cookie: true,
        response: {
          status: 200,
          headers: {
            'Access-Control-Allow-Origin': 'https://admin.example.com',
            'Access-Control-Allow-Credentials': 'true',
            'X-Total-Count': '42',
            'X-Request-Id': 'abc',
          },
        },
      }),
      hidden(['X-Total-Count', 'X-Request-Id'], 'include'),
    ),
    item(
      browserRequest({
        id: 'm3',
        method: 'DELETE',
        url: `${API}/api/items/7`,
        cookie: true,
        preflight: {
          status: 204,
          headers: {
            'Access-Control-Allow-Origin': PAGE,
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Allow-Methods': 'DELETE',
          },
        },
        response: { status: 500, headers: {} },
      }),
      blocked('MissingAllowOriginHeader', { credentials: 'include', stage: 'response', exchangeIndex: 1 }),
    ),
  ];
  return { simple, multi };
}
