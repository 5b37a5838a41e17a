// Security findings on CORS responses, allowed or not (what Corsy/CORScanner and "Will It CORS?" warn about):
// reflected origins with credentials, `null` allowed, missing `Vary: Origin`, `*` on credentialed traffic,
// duplicated ACAO (proxy + app), Authorization let through by `*`, and preflight-cache surprises.
import { S_ACAC, S_ACAO, S_ACMA, S_VARY } from './header-names';
import type { HeaderIndex } from './headers';
import { asciiLower } from './headers';
import { effectiveMaxAge } from './preflight-cache';
import type { BrowserProfile } from './profiles';
import type { SecurityFinding } from './types';

export interface CheckedResponse {
  headers: HeaderIndex;
  url: string;
  /** Serialized origin the response was checked against. */
  origin: string;
  preflight: boolean;
}

export interface FindingContext {
  profile: BrowserProfile;
  responses: CheckedResponse[];
  requestCarriedCookie: boolean;
  requestCarriedAuthorization: boolean;
  authorizationViaWildcard: boolean;
  preflight: 'not-needed' | 'sent' | 'cached' | 'missing';
}

function varyHasOrigin(h: HeaderIndex): boolean {
  const v = h.value(S_VARY);
  if (v === null) return false;
  for (const part of v.split(',')) {
    const t = asciiLower(part.trim());
    if (t === 'origin' || t === '*') return true;
  }
  return false;
}

/** At most one finding per code, the first one raised (a handful of codes: a scan beats a Set). */
function add(out: SecurityFinding[], f: SecurityFinding): void {
  for (let i = 0; i < out.length; i++) if (out[i].code === f.code) return;
  out.push(f);
}

export function computeFindings(ctx: FindingContext): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  for (let i = 0; i < ctx.responses.length; i++) responseFindings(ctx, ctx.responses[i], out);
  if (ctx.authorizationViaWildcard) {
    add(out, {
      code: 'authorization-covered-by-wildcard',
      severity: 'info',
      header: 'access-control-allow-headers',
      message:
        'Authorization passed only because Access-Control-Allow-Headers is *. The Fetch standard says * never covers Authorization (Chromium 156 and Firefox ESR 153 let it through anyway; other browsers and versions block it). List authorization explicitly.',
    });
  }
  preflightCacheFindings(ctx, out);
  return out;
}

/** What one checked response's Access-Control-Allow-Origin (and Vary) says about the server's CORS policy. */
function responseFindings(ctx: FindingContext, r: CheckedResponse, out: SecurityFinding[]): void {
  const acao = r.headers.value(S_ACAO);
  const credentialed = r.headers.value(S_ACAC) === 'true';
  if (r.headers.countSlot(S_ACAO) > 1) {
    const lines = r.headers.all('access-control-allow-origin');
    const same = lines.every((l) => l === lines[0]);
    add(out, {
      code: 'duplicate-acao-proxy',
      severity: 'warning',
      header: 'access-control-allow-origin',
      message: `Access-Control-Allow-Origin is sent ${lines.length} times (${lines.map((l) => `'${l}'`).join(', ')})${same ? ', identical' : ''}: usually a reverse proxy and the application both add CORS headers. Let only one layer handle CORS.`,
    });
  }
  if (acao === null) return;
  if (acao === 'null') {
    add(out, {
      code: 'null-origin-allowed',
      severity: credentialed ? 'danger' : 'warning',
      header: 'access-control-allow-origin',
      message: `Access-Control-Allow-Origin: null admits every opaque origin — any sandboxed iframe, file: page or data: document can read this response${credentialed ? " with the user's cookies" : ''}. Never allow the null origin.`,
    });
  } else if (acao !== '*' && acao === r.origin && credentialed && !r.preflight) {
    const vary = varyHasOrigin(r.headers);
    add(out, {
      code: 'reflected-origin-with-credentials',
      severity: vary ? 'info' : 'warning',
      header: 'access-control-allow-origin',
      message: vary
        ? `Credentialed access is granted to ${acao}. If the server copies any Origin into Access-Control-Allow-Origin (possible reflection), every site can read this user's data: check it against an allowlist.`
        : `Access-Control-Allow-Origin echoes the request origin with Access-Control-Allow-Credentials: true and no Vary: Origin — what blind origin reflection looks like. Make sure the server checks Origin against an allowlist.`,
    });
  }
  if (acao !== '*' && !r.preflight && !varyHasOrigin(r.headers)) {
    add(out, {
      code: 'missing-vary-origin',
      severity: 'warning',
      header: 'vary',
      message: `Access-Control-Allow-Origin names one origin (${acao}) but the response has no Vary: Origin: a shared or browser cache may serve it to another origin, which then fails CORS (or sees the wrong grant). Add Vary: Origin.`,
    });
  }
  if (acao === '*' && !r.preflight && (ctx.requestCarriedCookie || ctx.requestCarriedAuthorization)) {
    add(out, {
      code: 'wildcard-on-credentialed-api',
      severity: 'warning',
      header: 'access-control-allow-origin',
      message: `Access-Control-Allow-Origin: * on a response to a request that carried ${ctx.requestCarriedCookie ? 'a Cookie' : 'Authorization'}: the endpoint looks authenticated but is readable by every site without credentials. Use an explicit origin allowlist.`,
    });
  }
  if (acao.startsWith('http://') && r.url.startsWith('https://')) {
    add(out, {
      code: 'http-origin-trusted-by-https',
      severity: 'warning',
      header: 'access-control-allow-origin',
      message: `An https: resource trusts the plain-http origin ${acao}: a network attacker who can inject into that http page can read this response.`,
    });
  }
}

/** A preflight answer the browser may keep reusing while the server changes: a cached one, or a long max-age. */
function preflightCacheFindings(ctx: FindingContext, out: SecurityFinding[]): void {
  if (ctx.preflight === 'cached') {
    add(out, {
      code: 'preflight-cache-may-hide-fix',
      severity: 'info',
      message: `No preflight was seen: the browser reused a cached one. Server changes to the preflight answer stay invisible until the entry expires (Access-Control-Max-Age, capped at ${ctx.profile.preflightCacheCapSeconds} s in ${ctx.profile.name === 'chromium' ? 'Chromium' : 'Firefox'}); reload with DevTools "Disable cache" to re-test.`,
    });
  } else {
    for (let i = 0; i < ctx.responses.length; i++) {
      const r = ctx.responses[i];
      if (!r.preflight) continue;
      const raw = r.headers.value(S_ACMA);
      const age = effectiveMaxAge(raw, ctx.profile);
      if (raw !== null && age !== null && age > 600) {
        add(out, {
          code: 'preflight-cache-may-hide-fix',
          severity: 'info',
          header: 'access-control-max-age',
          message: `Access-Control-Max-Age ${raw} lets the browser reuse this preflight for ${age} s: while you change the server's CORS settings, tests may keep passing (or failing) on the cached answer.`,
        });
      }
    }
  }
}
