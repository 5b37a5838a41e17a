// Plain-words labels for verdicts and resource types, shared by the panel and the popup.
import type { ResourceType, Verdict } from '../../src/engine/types';

export function shortReason(v: Verdict): string {
  switch (v.kind) {
    case 'allowed': return v.preflight === 'cached' ? 'allowed (preflight from cache)' : '';
    case 'allowed-hidden-headers': return `hidden from script: ${v.hiddenHeaders.slice(0, 3).join(', ')}${v.hiddenHeaders.length > 3 ? '…' : ''}`;
    case 'blocked': return v.reason.failedParameter ? `${v.reason.corsError} (${v.reason.failedParameter})` : v.reason.corsError;
    case 'not-cors': return v.cause;
    case 'unknown': return v.missing[0] ?? 'not enough information';
  }
}

export function initiatorType(t: ResourceType | undefined): string {
  switch (t) {
    case 'xmlhttprequest': return 'fetch/XHR';
    case 'fetch': return 'fetch';
    case undefined: return '';
    default: return t;
  }
}
