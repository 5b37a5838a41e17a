// How extension pages (panel, popup) talk to the worker: typed requests and a live subscription that
// reconnects when the worker restarts or the extension is reloaded.
import { browser } from './browser';
import {
  PORT_NAME,
  PROTOCOL_VERSION,
  makeRequest,
  type PortEvent,
  type RequestMap,
  type RequestName,
  type ResponseEnvelope,
} from '../protocol/messages';

export async function request<N extends RequestName>(name: N, args: RequestMap[N][0]): Promise<RequestMap[N][1]> {
  const res = (await browser.runtime.sendMessage(makeRequest(name, args))) as ResponseEnvelope<N> | undefined;
  if (!res) throw new Error(`no answer from the CORS Lens worker to ${name}`);
  if (!res.ok) throw new Error(res.error);
  return res.result;
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'gone';

/**
 * Subscribe to one tab's log. Calls onEvent with a snapshot first, then live updates. When the port drops
 * (the worker was killed and restarted, or the extension was reloaded), reconnects and gets a fresh snapshot.
 */
export function subscribeTab(
  tabId: number,
  onEvent: (e: PortEvent) => void,
  onState: (s: ConnectionState) => void,
): () => void {
  let stopped = false;
  let retry = 0;
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  const connect = () => {
    if (stopped) return;
    try {
      port = browser.runtime.connect({ name: PORT_NAME });
    } catch {
      onState('gone'); // extension context invalidated (extension reloaded while this page was open)
      return;
    }
    port.onMessage.addListener((m: unknown) => {
      retry = 0;
      const ev = m as PortEvent;
      if (ev.type === 'snapshot') onState('live');
      onEvent(ev);
    });
    port.onDisconnect.addListener(() => {
      port = null;
      if (stopped) return;
      onState('reconnecting');
      setTimeout(connect, Math.min(2000, 100 * 2 ** retry++));
    });
    port.postMessage({ type: 'subscribe', tabId, protocol: PROTOCOL_VERSION });
  };
  onState('connecting');
  connect();
  return () => {
    stopped = true;
    port?.disconnect();
  };
}
