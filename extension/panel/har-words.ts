// What the HAR tab says about a file: who made it, how much of it was read, and whether a typed page origin is one.
import type { HarWorkerMessage } from './har-worker';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The tool that wrote the HAR, as `log.creator` names it ("mitmproxy 10.1.5", "WebInspector 537.36", "Firefox 128.0"),
 * from the head of the file, where every exporter we know writes it before `entries`.
 */
export function creatorOfHar(head: string): string | null {
  const m = /"creator"\s*:\s*\{([^{}]{0,600})\}/.exec(head);
  if (!m) return null;
  const field = (k: string) => new RegExp(`"${k}"\\s*:\\s*"([^"\\\\]{0,80})"`).exec(m[1])?.[1];
  const name = field('name');
  if (!name) return null;
  // Chrome's exporter calls itself WebInspector: say what the user knows it as.
  const shown = name === 'WebInspector' ? 'Chrome DevTools (WebInspector)' : name;
  const version = field('version');
  return version ? `${shown} ${version}` : shown;
}

/** The toolbar's one line once the worker is done (or stopped). */
export function harStatus(
  name: string,
  requests: number,
  done: Extract<HarWorkerMessage, { type: 'done' }> & { stopped?: boolean },
): string {
  if (done.stopped) return `${name}: stopped — ${plural(requests, 'request')} read so far`;
  const skipped = done.warningCount ? `, ${plural(done.warningCount, 'entry', 'entries')} skipped or repaired` : '';
  const loads = done.requests - requests;
  const navigations = loads > 0 ? `, ${plural(loads, 'page load')} not listed` : '';
  const read = `${plural(requests, 'request')} from ${plural(done.entries, 'entry', 'entries')}${navigations}${skipped}`;
  return done.error ? `${name}: read ${read} before an error` : `${name}: ${read}`;
}

/** Why the typed page origin is not one (null when empty or valid), in the CLI's --origin words. */
export function pageOriginError(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  try {
    const u = new URL(t);
    if (u.origin === 'null') throw new Error();
    return null;
  } catch {
    return 'the page origin must be an origin such as https://app.example';
  }
}
