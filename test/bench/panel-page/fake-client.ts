// Stand-in for extension/platform/client.ts in the panel bench page: the "worker" is the bench, which hands the
// panel a snapshot when told to (window.__benchDeliver), exactly as the real port's first message would.
import type { PortEvent, RequestMap, RequestName, TabSnapshot } from '../../../extension/protocol/messages';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'gone';

declare global {
  interface Window {
    __benchSnapshot?: TabSnapshot;
    __benchDeliver?: () => number;
  }
}

export async function request<N extends RequestName>(name: N, _args: RequestMap[N][0]): Promise<RequestMap[N][1]> {
  throw new Error(`the bench page has no worker (${name})`);
}

export function subscribeTab(
  _tabId: number,
  onEvent: (e: PortEvent) => void,
  onState: (s: ConnectionState) => void,
): () => void {
  onState('connecting');
  window.__benchDeliver = () => {
    const t0 = performance.now();
    onState('live');
    onEvent({ type: 'snapshot', snapshot: window.__benchSnapshot! });
    return t0;
  };
  return () => {
    window.__benchDeliver = undefined;
  };
}
