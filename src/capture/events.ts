// Browser-neutral network events: what extension/platform/web-request.ts turns Chromium's and Firefox's
// webRequest details into, so the correlator never sees a browser difference.
import type { Header, ResourceType } from '../engine/types';

interface Base {
  requestId: string;
  tabId: number;
  url: string;
  method: string;
  type: ResourceType;
  /** Serialized origin of the initiator (Chromium `initiator`; Firefox `originUrl` reduced), 'null' if opaque. */
  initiator: string | null;
  documentUrl?: string;
  timeStamp: number;
}

export type NetEvent =
  | (Base & { kind: 'send-headers'; requestHeaders: Header[] })
  | (Base & {
      kind: 'headers-received';
      statusCode: number;
      statusLine?: string;
      responseHeaders: Header[];
      ip?: string;
      fromCache?: boolean;
    })
  | (Base & { kind: 'redirect'; statusCode: number; redirectUrl: string; responseHeaders?: Header[] })
  | (Base & { kind: 'completed'; statusCode: number; fromCache?: boolean; ip?: string; responseHeaders?: Header[] })
  | (Base & { kind: 'error'; error: string });

export type NetEventKind = NetEvent['kind'];
