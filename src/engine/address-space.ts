// Address spaces (Local Network Access: https://wicg.github.io/local-network-access/#ip-address-space) and
// potentially trustworthy origins, as the not-CORS checks (not-cors.ts) and their short lines read them.
import type { ParsedUrl } from './origin';
import type { AddressSpace, ObservedRequest } from './types';

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** The address space a host is in when its name says so (an IP literal or `localhost`); null for other names. */
export function addressSpaceOfHost(hostname: string): AddressSpace | null {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return 'loopback';
  const v4 = ipv4(h);
  if (v4) {
    const [a, b] = v4;
    if (a === 127) return 'loopback';
    if (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a === 0
    )
      return 'local';
    return 'public';
  }
  if (h.includes(':')) {
    if (/^f[cd]/.test(h) || /^fe[89ab]/.test(h)) return 'local';
    if (h.startsWith('::ffff:')) return addressSpaceOfHost(h.slice(7));
    return 'public';
  }
  return null;
}

export function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy, from a URL or origin string. */
export function potentiallyTrustworthy(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'https:' || u.protocol === 'wss:' || u.protocol === 'file:') return true;
  return addressSpaceOfHost(u.hostname) === 'loopback';
}

/** The target's address space: from the IP the browser connected to when known, else from the host name. */
export function targetSpace(req: ObservedRequest, target: ParsedUrl | null): AddressSpace | null {
  for (let i = req.exchanges.length - 1; i >= 0; i--) {
    const ip = req.exchanges[i]?.response?.ip;
    if (ip) {
      const s = addressSpaceOfHost(ip);
      if (s) return s;
    }
  }
  return target ? addressSpaceOfHost(target.url.hostname) : null;
}

export const normalizeSpace = (s: string): string => (s === 'private' ? 'local' : s);
