// The synthetic requests of the panel bench page, built with the tests' request builder (test/support/requests.ts).
import type { ObservedRequest } from '../../../src/engine/types';
import { get, method as withMethod } from '../../support/requests';

export const PAGE = 'http://127.0.0.1:8101';
const API = 'http://127.0.0.1:8102';

/** The same mix as the page bench (chromium-kit.ts): 8 simple allowed, 2 missing ACAO, 4 preflighted PUTs, 2 refused at the preflight, 3 credentialed allowed, 1 credentialed with ACAO *. */
export function request(i: number): ObservedRequest {
  const k = i % 20;
  const base = { id: String(i), from: PAGE, type: 'xmlhttprequest' as const, startedAt: 1_700_000_000_000 + i };
  const simple = (path: string, res: Array<[string, string]>, ok: boolean, cred = false): ObservedRequest => {
    const r = get(`${API}/${path}/${i}?acao=x`, {
      ...base,
      ...(cred ? { hints: { credentials: 'include' as const } } : {}),
    }).res(200, [['Content-Type', 'application/json'], ...res], {
      sent: [['Origin', PAGE], ...(cred ? [['Cookie', 'a=1'] as [string, string]] : [])],
      ...(ok ? {} : { error: 'net::ERR_FAILED' }),
    });
    return ok ? r.ok(200) : r.fail('net::ERR_FAILED');
  };
  if (k < 8) return simple('ok', [['Access-Control-Allow-Origin', PAGE]], true);
  if (k < 10) return simple('zno', [], false);
  if (k < 16) {
    const ok = k < 14;
    const m = ok ? 'PUT' : 'PATCH';
    const r = withMethod(m, `${API}/${ok ? 'pf' : 'zpf'}/${i}`, base).pre(
      204,
      [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Methods', ok ? 'PUT' : 'GET, POST'],
        ['Access-Control-Allow-Headers', 'x-api-key'],
      ],
      {
        sent: [
          ['Origin', PAGE],
          ['Access-Control-Request-Method', m],
          ...(ok ? [['Access-Control-Request-Headers', 'x-api-key'] as [string, string]] : []),
        ],
      },
    );
    return ok
      ? r
          .res(200, [['Access-Control-Allow-Origin', PAGE]], {
            sent: [
              ['Origin', PAGE],
              ['X-Api-Key', 'k'],
            ],
          })
          .ok(200)
      : r.fail('net::ERR_FAILED');
  }
  if (k < 19)
    return simple(
      'cred',
      [
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Credentials', 'true'],
      ],
      true,
      true,
    );
  return simple('zcred', [['Access-Control-Allow-Origin', '*']], false, true);
}
