// The last events the worker handled, for getStatus (to diagnose a request that went wrong): a ring of references,
// formatted only when someone asks, so the hot path pays one array store per event.
import type { NetEvent } from './events';

export class EventRing {
  private ring: NetEvent[] = [];
  private at = 0;

  constructor(private readonly size = 40) {}

  push(ev: NetEvent): void {
    if (this.ring.length < this.size) this.ring.push(ev);
    else {
      this.ring[this.at] = ev;
      this.at = (this.at + 1) % this.size;
    }
  }

  /** Oldest first: kind, request id, tab, URL (cut), time. */
  lines(): string[] {
    const n = this.ring.length;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const ev = this.ring[(this.at + i) % n];
      out.push(`${ev.kind} ${ev.requestId} ${ev.tabId} ${ev.url.slice(0, 120)} ${ev.timeStamp.toFixed(1)}`);
    }
    return out;
  }
}
