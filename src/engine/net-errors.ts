// Reading the browser's error strings: a CORS failure (Chromium net::ERR_FAILED, Gecko NS_ERROR_DOM_BAD_URI),
// another policy (ORB, CORP, CSP, an ad blocker, Local Network Access), or the network itself.
// Sources: services/network/public/cpp/url_loader_completion_status.h (CORS errors use ERR_FAILED), MDN webRequest
// onErrorOccurred, cors-spec.md §5.1-5.2.

/** How an error string reads: a CORS failure, another policy, or the network. */
export type ErrorClass = 'cors' | 'blocked-by-client' | 'other-policy' | 'local-network-access' | 'aborted' | 'network';

// Compiled once: the worker evaluates every request.
const RE_LNA = /LOCAL_NETWORK_ACCESS|PRIVATE_NETWORK_ACCESS/i;
const RE_CLIENT = /ERR_BLOCKED_BY_CLIENT|ERR_BLOCKED_BY_EXTENSION/i;
const RE_POLICY = /ERR_BLOCKED_BY_(ORB|RESPONSE|CSP|ADMINISTRATOR|COEP)|ERR_BLOCKED_BY_|NS_ERROR_(CONTENT_BLOCKED|DOM_CORP_FAILED|CSP|TRACKING_URI|MALWARE_URI|PHISHING_URI|UNWANTED_URI|HARMFUL_URI|CRYPTOMINING_URI|FINGERPRINTING_URI|SOCIALTRACKING_URI|EMAILTRACKING_URI|DOM_COEP_FAILED|DOM_INVALID_HEADER_VALUE|CONTENT_CORRUPTED_MIXED)|ERR_INSECURE_RESPONSE|MIXED_CONTENT/i;
const RE_ABORT = /ERR_ABORTED|NS_BINDING_ABORTED|NS_ERROR_ABORT/i;
const CORS_ERRORS = new Set(['net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI']);

export function classifyError(error: string): ErrorClass {
  if (CORS_ERRORS.has(error.trim())) return 'cors';
  if (RE_LNA.test(error)) return 'local-network-access';
  if (RE_CLIENT.test(error)) return 'blocked-by-client';
  if (RE_POLICY.test(error)) return 'other-policy';
  if (RE_ABORT.test(error)) return 'aborted';
  return 'network';
}

export const isNetworkClass = (c: ErrorClass) => c === 'network' || c === 'aborted';

