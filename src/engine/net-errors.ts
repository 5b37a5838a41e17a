// Reading the browser's error strings: a CORS failure (Chromium net::ERR_FAILED, Gecko NS_ERROR_DOM_BAD_URI),
// another policy (ORB, CORP, CSP, an ad blocker, Local Network Access), or the network itself.
// Sources: net/base/net_error_list.h and services/network/public/cpp/url_loader_completion_status.h (CORS errors
// use ERR_FAILED), netwerk/base/ErrorList.py (Gecko), MDN webRequest onErrorOccurred, CDP Network.BlockedReason.
import type { NotCorsCause } from './types';

/** How an error string reads: a CORS failure, another policy, or the network. */
export type ErrorClass = 'cors' | 'blocked-by-client' | 'other-policy' | 'local-network-access' | 'aborted' | 'network';

// Compiled once: the worker evaluates every request.
// ERR_INCONSISTENT_IP_ADDRESS_SPACE: the network stack's error for a fetch() whose targetAddressSpace does not match the
// address space it connected to (measured: test/oracle/recordings/chromium/lna-*-tas-local.har).
const RE_LNA = /LOCAL_NETWORK_ACCESS|PRIVATE_NETWORK_ACCESS|INCONSISTENT_IP_ADDRESS_SPACE/i;
const RE_CLIENT = /ERR_BLOCKED_BY_CLIENT|ERR_BLOCKED_BY_EXTENSION|^NS_ERROR_ABORT$/i;
const RE_POLICY =
  /ERR_BLOCKED_BY_(ORB|RESPONSE|CSP|ADMINISTRATOR|COEP)|ERR_BLOCKED_BY_|NS_ERROR_(CONTENT_BLOCKED|DOM_CORP_FAILED|CSP|TRACKING_URI|MALWARE_URI|PHISHING_URI|UNWANTED_URI|HARMFUL_URI|CRYPTOMINING_URI|FINGERPRINTING_URI|SOCIALTRACKING_URI|EMAILTRACKING_URI|DOM_COEP_FAILED|DOM_INVALID_HEADER_VALUE|CONTENT_CORRUPTED_MIXED)|ERR_INSECURE_RESPONSE|MIXED_CONTENT|^blocked:/i;
const RE_ABORT = /ERR_ABORTED|NS_BINDING_ABORTED/i;
const CORS_ERRORS = new Set(['net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI']);

export function classifyError(error: string): ErrorClass {
  const e = error.trim();
  if (CORS_ERRORS.has(e)) return 'cors';
  if (RE_LNA.test(e)) return 'local-network-access';
  if (RE_CLIENT.test(e)) return 'blocked-by-client';
  if (RE_POLICY.test(e)) return 'other-policy';
  if (RE_ABORT.test(e)) return 'aborted';
  return 'network';
}

export const isNetworkClass = (c: ErrorClass) => c === 'network' || c === 'aborted';

/**
 * The not-CORS cause an error string names, or null for a CORS failure (`net::ERR_FAILED`, `NS_ERROR_DOM_BAD_URI`),
 * which says nothing by itself. Chromium's strings are net_error_list.h names (`net::ERR_…`, also what Chrome's
 * HAR writes in `_error`); Gecko's are nsresult names; `blocked:<reason>` is a CDP `Network.BlockedReason` as some
 * HAR exporters record it. CORP vs COEP for `ERR_BLOCKED_BY_RESPONSE` needs the response headers: see corpOrCoep.
 */
export function causeOfError(error: string): NotCorsCause | null {
  const e = error.trim();
  if (e === '' || CORS_ERRORS.has(e)) return null;
  const u = e.toUpperCase();
  if (RE_LNA.test(u) || u === 'BLOCKED:LOCAL-NETWORK-ACCESS') return 'local-network-access';
  if (RE_CLIENT.test(u) || u === 'BLOCKED:INSPECTOR' || u === 'BLOCKED:SUBRESOURCE-FILTER') return 'blocked-by-client';
  if (/BLOCKED_BY_C?ORB/.test(u) || u === 'BLOCKED:CONTENT-TYPE') return 'orb';
  if (u.includes('BLOCKED_BY_CSP') || u === 'BLOCKED:CSP' || u.startsWith('NS_ERROR_CSP')) return 'csp';
  if (u.includes('MIXED') || u === 'BLOCKED:MIXED-CONTENT') return 'mixed-content';
  if (u.includes('COEP') || u.startsWith('BLOCKED:COEP')) return 'coep';
  if (u.includes('CORP') || u.startsWith('BLOCKED:CORP')) return 'corp';
  if (u.includes('ERR_BLOCKED_BY_RESPONSE')) return u.includes('COEP') ? 'coep' : 'corp';
  if (RE_POLICY.test(u)) return 'other-policy';
  if (RE_ABORT.test(u)) return 'aborted';
  if (/CONNECTION_REFUSED|ECONNREFUSED/.test(u)) return 'connection-refused';
  if (/NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|UNKNOWN_HOST|ENOTFOUND|EAI_AGAIN|DNS_/.test(u)) return 'dns';
  if (/ERR_CERT_|ERR_SSL_|SSL_ERROR|SEC_ERROR|NET_INADEQUATE_SECURITY|ERR_BAD_SSL|EPROTO|CERT_/.test(u)) return 'tls';
  return 'network-error';
}

/** Causes that say the network itself failed (nothing a header can change). */
const NETWORK_CAUSES: ReadonlySet<NotCorsCause> = new Set<NotCorsCause>([
  'connection-refused',
  'dns',
  'tls',
  'network-error',
]);
export const isNetworkCause = (c: NotCorsCause | null): boolean => c !== null && NETWORK_CAUSES.has(c);

/**
 * A CDP `Network.BlockedReason` (`csp`, `mixed-content`, `corp-not-same-origin`…) as an exporter wrote it in a HAR
 * (`_blockedReason`), turned into the `blocked:<reason>` error string causeOfError reads; null for anything else.
 */
export function blockedReasonError(v: unknown): string | null {
  return typeof v === 'string' && /^[a-z][a-z-]{0,80}$/.test(v) ? `blocked:${v}` : null;
}
