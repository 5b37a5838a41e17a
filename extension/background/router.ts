// Routes what reaches the worker: requests (runtime messages) and ports, after deciding once who the caller is
// (caller.ts) and that it speaks this protocol version (docs/protocol.md).
import type { CaptureService } from '../../src/capture';
import type { Channel, OwnExtension, Sender } from '../platform/messaging';
import {
  PROTOCOL_VERSION,
  PORT_NAME,
  HINT_PORT_NAME,
  isRequestEnvelope,
  type PortCommand,
  type PortEvent,
  type ResponseEnvelope,
} from '../protocol/messages';
import { callerOf } from './caller';
import { requestHandlers, wire, type WorkerDeps } from './handlers';

/**
 * Extension messages are serialised as JSON on both sides, so a full tab in one message is slow to reach the panel
 * (docs/performance.md). The first screenful goes alone, the rest follows in slices, all posted in this task so no
 * live event can come between them.
 */
const FIRST_SLICE = 60;
const SLICE = 500;

function postSnapshot(channel: Channel, service: CaptureService, tabId: number): void {
  const all = service.store.entries(tabId);
  const first = all.slice(0, FIRST_SLICE).map(wire);
  channel.post({
    type: 'snapshot',
    snapshot: { tabId, meta: service.store.meta(tabId), entries: first, more: all.length - first.length },
  } satisfies PortEvent);
  for (let i = first.length; i < all.length; i += SLICE) {
    channel.post({ type: 'snapshotMore', tabId, entries: all.slice(i, i + SLICE).map(wire) } satisfies PortEvent);
  }
}

const mismatch = (got: unknown) =>
  `protocol mismatch: the worker speaks version ${PROTOCOL_VERSION}, the request ${String(got)}`;

export interface Router {
  /** A promise of the answer, or undefined to stay silent (not ours to answer, or a caller refused). */
  message(msg: unknown, sender: Sender): Promise<ResponseEnvelope> | undefined;
  connect(channel: Channel): void;
}

export function createRouter(deps: WorkerDeps & { own: Pick<OwnExtension, 'id' | 'baseUrl'> }): Router {
  const { service } = deps;
  const handlers = requestHandlers(deps);

  function message(msg: unknown, sender: Sender): Promise<ResponseEnvelope> | undefined {
    if (!isRequestEnvelope(msg)) return undefined;
    // Only our own extension pages may ask (content scripts run in web pages: they must not read any tab's traffic).
    if (callerOf(sender, deps.own).kind !== 'extension-page') return undefined;
    if (msg.protocol !== PROTOCOL_VERSION) return Promise.resolve({ ok: false, error: mismatch(msg.protocol) });
    const handler = Object.hasOwn(handlers, msg.name)
      ? (handlers[msg.name] as (a: unknown) => Promise<unknown>)
      : undefined;
    if (!handler) return Promise.resolve({ ok: false, error: `unknown request ${msg.name}` });
    return handler(msg.args).then(
      (result) => ({ ok: true, result }) as ResponseEnvelope,
      (e) => ({ ok: false, error: String(e) }) as ResponseEnvelope,
    );
  }

  function hintPort(channel: Channel, tabId: number, url: string | undefined): void {
    // The tab is the sender's, whatever the page does.
    channel.onMessage((m) => {
      const hints = (m as { hints?: unknown } | null)?.hints;
      if (Array.isArray(hints)) service.onPageHints(tabId, hints, url);
    });
  }

  function tabPort(channel: Channel): void {
    let tabId: number | null = null;
    const unsubscribe = service.subscribe({
      entriesAdded(t, entries, meta) {
        if (t === tabId)
          channel.post({ type: 'entriesAdded', tabId: t, entries: entries.map(wire), meta } satisfies PortEvent);
      },
      entriesUpdated(t, entries, meta) {
        if (t === tabId)
          channel.post({ type: 'entriesUpdated', tabId: t, entries: entries.map(wire), meta } satisfies PortEvent);
      },
      tabCleared(t, meta) {
        if (t === tabId) channel.post({ type: 'tabCleared', tabId: t, meta } satisfies PortEvent);
      },
      blockedCount() {},
    });
    channel.onMessage(async (m) => {
      const cmd = m as PortCommand | null;
      if (cmd?.type !== 'subscribe' || typeof cmd.tabId !== 'number') return;
      if (cmd.protocol !== PROTOCOL_VERSION) {
        channel.post({
          type: 'protocolMismatch',
          expected: PROTOCOL_VERSION,
          got: Number(cmd.protocol),
        } satisfies PortEvent);
        return;
      }
      await service.ready;
      tabId = cmd.tabId;
      postSnapshot(channel, service, cmd.tabId);
    });
    channel.onClose(() => unsubscribe());
  }

  function connect(channel: Channel): void {
    if (!channel.name.startsWith('cors-lens/')) return;
    const caller = callerOf(channel.sender, deps.own);
    if (channel.name === HINT_PORT_NAME) {
      if (caller.kind === 'content-script') hintPort(channel, caller.tabId, caller.url);
      else channel.close();
      return;
    }
    if (caller.kind !== 'extension-page') {
      channel.close();
      return;
    }
    if (channel.name !== PORT_NAME) {
      channel.post({
        type: 'protocolMismatch',
        expected: PROTOCOL_VERSION,
        got: Number(channel.name.split('/v')[1]),
      } satisfies PortEvent);
      return;
    }
    tabPort(channel);
  }

  return { message, connect };
}
