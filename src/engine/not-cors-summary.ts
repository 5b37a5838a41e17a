// The short line for a not-CORS cause (panel Reason column, popup, CLI table), naming the one fact that matters.
import { addressSpaceOfHost, hostOf } from './address-space';
import type { ChromiumCorsError, NotCorsCause, ObservedRequest } from './types';

function hostPort(url: string): string {
  try {
    const u = new URL(url);
    return u.port ? u.host : `${u.hostname}:${u.protocol === 'https:' || u.protocol === 'wss:' ? 443 : 80}`;
  } catch {
    return url;
  }
}

function statusOf(req: ObservedRequest): number | null {
  for (let i = req.exchanges.length - 1; i >= 0; i--) {
    const ex = req.exchanges[i];
    if (ex?.kind === 'main' && ex.response) return ex.response.status;
  }
  return null;
}

function permissionFor(host: string | null): string {
  const space = host ? addressSpaceOfHost(host) : null;
  return space === 'loopback'
    ? 'loopback-network'
    : space === 'local'
      ? 'local-network'
      : 'loopback-network or local-network';
}

/** A few words for a not-CORS cause, naming the one fact that matters (the port, the status, the permission). */
export function notCorsSummary(
  req: ObservedRequest,
  cause: NotCorsCause,
  corsError?: ChromiumCorsError,
): string | null {
  switch (cause) {
    case 'csp':
      return "not CORS: blocked by the page's Content-Security-Policy";
    case 'mixed-content':
      return 'not CORS: mixed content (https page, http URL)';
    case 'local-network-access':
      return corsError === 'InvalidLocalNetworkAccess'
        ? 'not CORS: targetAddressSpace does not match the target'
        : corsError === 'InsecureLocalNetwork'
          ? 'not CORS: an http page may not reach the local network'
          : `not CORS: Local Network Access, ${permissionFor(hostOf(req.url))} permission not granted`;
    case 'connection-refused':
      return `not CORS: connection refused, nothing listens on ${hostPort(req.url)}`;
    case 'dns': {
      const h = hostOf(req.url);
      return `not CORS: ${h ?? 'the host'} does not resolve`;
    }
    case 'tls':
      return 'not CORS: TLS connection failed';
    case 'blocked-by-client':
      return 'not CORS: cancelled by an extension (ad blocker?)';
    case 'aborted-by-page':
      return 'not CORS: cancelled by your code (abort / timeout)';
    case 'corp':
      return 'not CORS: refused by Cross-Origin-Resource-Policy';
    case 'coep':
      return 'not CORS: COEP require-corp, no CORP on the resource';
    case 'orb':
      return 'not CORS: Opaque Response Blocking';
    case 'third-party-cookies':
      return 'CORS passed; third-party cookies withheld';
    case 'http-error': {
      const s = statusOf(req);
      return `CORS passed; the server answered ${s ?? 'an error'}`;
    }
    default:
      return null;
  }
}
