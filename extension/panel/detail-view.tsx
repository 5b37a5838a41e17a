// The selected request explained: verdict, plain-words explanation, the one-line fix with a copy button, then tabs:
// the full fix, the timeline of exchanges with the offending header highlighted (expected vs actual), and details
// (what the browser console said, what was inferred and how sure, links to MDN and the Fetch spec, copy as curl).
import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { WireEntry } from '../protocol/messages';
import type { ChromiumCorsError, Exchange, Header, Verdict } from '../../src/engine/types';
import { messagesFor } from '../../src/engine';
import { explain } from '../../src/report';
import { toCurl } from '../../src/report';
import { VerdictBadge } from '../ui/verdict-badge';
import { HeaderValue, visible } from '../ui/header-value';
import { CopyButton } from '../ui/copy-button';
import { FixView } from './fix-view';
import { needsFix, useQuickFix } from './quick-fix';

interface Props {
  entry: WireEntry;
  all: WireEntry[];
  framework: string | null;
  onFramework(id: string): void;
  onClose?(): void;
  /** The request comes from a HAR file: advice to reload the page does not apply. */
  fromFile?: boolean;
}

/** For a file, what to do when it does not record enough: the page is not there to reload. */
const FILE_UNKNOWN_ACTION =
  'Export the HAR again with the request and response headers (Chrome: "Export HAR (with sensitive data)"), or give the page origin above if the file does not record which page made the request.';

type Tab = 'fix' | 'exchanges' | 'details';

/**
 * What a user needs first stays at the top without scrolling at every dock size (450×900 right, 1400×400 bottom):
 * the verdict and URL, why it failed, what to change and a button copying the fix. Everything else sits in tabs below,
 * as Network's Headers | Response | Timing do.
 */
export function DetailView({ entry, all, framework, onFramework, onClose, fromFile }: Props) {
  const { request: r, verdict: v } = entry;
  const words = useMemo(() => {
    const w = explain(r, v);
    return fromFile && v.kind === 'unknown' ? { ...w, action: FILE_UNKNOWN_ACTION } : w;
  }, [r, v, fromFile]);
  const quick = useQuickFix(entry, framework);
  const hasFix = needsFix(entry) || v.findings.length > 0;
  const [tab, setTab] = useState<Tab>(hasFix ? 'fix' : 'exchanges');
  const shown: Tab = tab === 'fix' && !hasFix ? 'exchanges' : tab;
  const root = useRef<HTMLElement>(null);
  const id = useId();
  // Another request starts at its top, as Network's headers pane does.
  useLayoutEffect(() => {
    root.current?.scrollTo?.(0, 0);
  }, [entry.seq]);
  const tabs: [Tab, string][] = [
    ...(hasFix ? [['fix', 'Fix'] as [Tab, string]] : []),
    ['exchanges', `Exchanges (${r.exchanges.length})`],
    ['details', 'Details'],
  ];
  return (
    <section className="detail" aria-label="Request details" tabIndex={0} ref={root}>
      <header className="detail-head">
        <VerdictBadge kind={v.kind} />
        <span className="mono method">{visible(r.method)}</span>
        <LongUrl url={r.url} />
        {onClose && (
          <button type="button" className="close" aria-label="Close the details" title="Close (Esc)" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <p className="summary" data-testid="explanation">
        {visible(words.text, true)}
      </p>
      <div className="action-row">
        <p className="action" data-testid="action">
          <b>Fix: </b>
          {visible(words.action, true)}
        </p>
        {quick && <CopyButton label={`Copy fix: ${quick.label}`} testId="copy-fix" text={() => quick.code} />}
      </div>
      <div className="detail-tabs" role="tablist" aria-label="Request detail sections">
        {tabs.map(([t, label]) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`${id}-${t}`}
            aria-selected={shown === t}
            aria-controls={`${id}-panel`}
            data-testid={`detail-tab-${t}`}
            onClick={() => setTab(t)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${shown}`} className="detail-panel">
        {shown === 'fix' && <FixView entry={entry} all={all} framework={framework} onFramework={onFramework} />}
        {shown === 'exchanges' && (
          <ol className="timeline">
            {r.exchanges.map((x, i) => (
              <li key={i}>
                <ExchangeView x={x} index={i} verdict={v} />
              </li>
            ))}
          </ol>
        )}
        {shown === 'details' && <Details entry={entry} links={words.links} />}
      </div>
    </section>
  );
}

/** A long URL shows two lines, with a control to see the rest. */
function LongUrl({ url }: { url: string }) {
  const [open, setOpen] = useState(false);
  const long = url.length > 120;
  return (
    <span className={`url-wrap${open ? ' open' : ''}`}>
      <span className="mono url" title={long && !open ? url.slice(0, 2000) : undefined}>
        {visible(url)}
      </span>
      {long && (
        <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'less' : 'full URL'}
        </button>
      )}
    </span>
  );
}

function Details({ entry, links }: { entry: WireEntry; links: { href: string; label: string }[] }) {
  const { request: r, verdict: v } = entry;
  const fault = v.kind === 'blocked' ? v.reason : null;
  const msgs = useMemo(() => {
    try {
      return messagesFor(r, v);
    } catch {
      return null;
    }
  }, [r, v]);
  const [secrets, setSecrets] = useState(false);
  return (
    <>
      {fault && (
        <dl className="fault" data-testid="fault">
          {fault.header && (
            <>
              <dt>Header</dt>
              <dd className="mono">{fault.header}</dd>
            </>
          )}
          {fault.expected !== undefined && (
            <>
              <dt>Expected</dt>
              <dd className="mono" data-testid="expected">
                {visible(fault.expected)}
              </dd>
            </>
          )}
          {fault.actual !== undefined && (
            <>
              <dt>Actual</dt>
              <dd className="mono" data-testid="actual">
                {fault.actual === null ? '(absent)' : <HeaderValue value={fault.actual} />}
              </dd>
            </>
          )}
          <dt>Chromium</dt>
          <dd className="mono">
            {fault.corsError}
            {fault.failedParameter ? ` (failedParameter: ${visible(fault.failedParameter)})` : ''}
          </dd>
          <dt>Firefox</dt>
          <dd className="mono">{fault.firefoxReason}</dd>
        </dl>
      )}
      {msgs && (msgs.chromium || msgs.firefox) && (
        <details className="console">
          <summary>What the browser console says</summary>
          {msgs.chromium && (
            <>
              <h4>Chromium</h4>
              <pre className="code" tabIndex={0} data-testid="chromium-console">
                {visible(msgs.chromium, true)}
              </pre>
            </>
          )}
          {msgs.firefox && (
            <>
              <h4>Firefox</h4>
              <pre className="code" tabIndex={0}>
                {visible(msgs.firefox, true)}
              </pre>
            </>
          )}
        </details>
      )}
      {(v.inferences.length > 0 || (r.notes?.length ?? 0) > 0) && (
        <>
          <h3>Inferred</h3>
          <ul className="inferences">
            {v.inferences.map((inf, i) => (
              <li key={i}>
                <b>{inf.what}</b>: {visible(inf.value)} <i>({inf.confidence})</i> — {visible(inf.because)}
              </li>
            ))}
            {r.notes?.map((n, i) => (
              <li key={`n${i}`}>{visible(n)}</li>
            ))}
          </ul>
        </>
      )}
      {links.length > 0 && (
        <p className="links">
          Read more:{' '}
          {links.map((l, i) => (
            <span key={l.href}>
              {i > 0 && ' · '}
              <a href={l.href} target="_blank" rel="noreferrer noopener">
                {l.label}
              </a>
            </span>
          ))}
        </p>
      )}
      <div className="curl">
        <CopyButton label="Copy as curl" testId="copy-curl" text={() => toCurl(r, { redact: !secrets })} />
        <label>
          <input type="checkbox" checked={secrets} onChange={(e) => setSecrets(e.target.checked)} /> include secrets
        </label>
      </div>
      {v.trace.length > 0 && (
        <details>
          <summary>How the browser decided</summary>
          <ol className="trace">
            {v.trace.map((t, i) => (
              <li key={i}>{visible(t)}</li>
            ))}
          </ol>
        </details>
      )}
    </>
  );
}

/** The response header a reason is about (the request-side header at fault is `reason.header`). */
function responseHeaderAtFault(e: ChromiumCorsError): string | undefined {
  if (/AllowOrigin|WildcardOrigin/.test(e)) return 'access-control-allow-origin';
  if (/AllowCredentials/.test(e)) return 'access-control-allow-credentials';
  if (e === 'MethodDisallowedByPreflightResponse' || e === 'InvalidAllowMethodsPreflightResponse')
    return 'access-control-allow-methods';
  if (e === 'HeaderDisallowedByPreflightResponse' || e === 'InvalidAllowHeadersPreflightResponse')
    return 'access-control-allow-headers';
  if (e === 'PreflightDisallowedRedirect' || e === 'RedirectContainsCredentials') return 'location';
  return undefined;
}

function ExchangeView({ x, index, verdict }: { x: Exchange; index: number; verdict: Verdict }) {
  const fault = verdict.kind === 'blocked' && verdict.reason.exchangeIndex === index ? verdict.reason : null;
  const resHeader = fault ? responseHeaderAtFault(fault.corsError) : undefined;
  // The request header at fault: the one the preflight rejected (listed in Access-Control-Request-Headers there).
  const reqHeader =
    fault?.corsError === 'HeaderDisallowedByPreflightResponse'
      ? x.kind === 'preflight'
        ? 'access-control-request-headers'
        : fault.failedParameter
      : fault?.corsError === 'MethodDisallowedByPreflightResponse' && x.kind === 'preflight'
        ? 'access-control-request-method'
        : undefined;
  const title =
    x.kind === 'preflight' ? 'Preflight' : index > 0 && x.kind === 'main' ? 'Request (next hop)' : 'Request';
  return (
    <div className={`exchange${fault ? ' at-fault' : ''}`}>
      <div className="exchange-head">
        <b>{title}</b>{' '}
        <span className="mono">
          {visible(x.method)} {visible(x.url)}
        </span>{' '}
        {x.response ? <span className="mono">→ {x.response.status}</span> : <span className="dim">no response</span>}
        {x.redirectUrl && <span className="mono"> → redirect to {visible(x.redirectUrl)}</span>}
        {x.error && <span className="mono err"> {visible(x.error)}</span>}
      </div>
      <div className="headers-grid">
        <HeaderTable
          title="Request headers"
          headers={x.requestHeaders}
          highlight={reqHeader}
          dropped={x.droppedHeaders?.request}
        />
        <HeaderTable
          title="Response headers"
          headers={x.response?.headers ?? null}
          highlight={resHeader}
          dropped={x.droppedHeaders?.response}
        />
      </div>
    </div>
  );
}

function HeaderTable({
  title,
  headers,
  highlight,
  dropped,
}: {
  title: string;
  headers: Header[] | null;
  highlight?: string;
  dropped?: number;
}) {
  if (!headers)
    return (
      <div className="headers">
        <h4>{title}</h4>
        <p className="dim">not observed</p>
      </div>
    );
  const hl = highlight?.toLowerCase();
  const missing = hl && !headers.some((h) => h.name.toLowerCase() === hl);
  return (
    <div className="headers">
      <h4>{title}</h4>
      <table>
        <tbody>
          {headers.map((h, i) => {
            const on = h.name.toLowerCase() === hl;
            return (
              <tr key={i} className={on ? 'hl' : undefined} data-highlight={on ? 'true' : undefined}>
                <th scope="row" className="mono">
                  {visible(h.name.slice(0, 200))}
                </th>
                <td className="mono">
                  <HeaderValue value={h.value} originalLength={h.originalLength} />
                </td>
              </tr>
            );
          })}
          {missing && (
            <tr className="hl missing" data-highlight="true">
              <th scope="row" className="mono">
                {highlight}
              </th>
              <td className="dim">(absent)</td>
            </tr>
          )}
        </tbody>
      </table>
      {dropped ? <p className="dim">{dropped} more header lines not kept</p> : null}
    </div>
  );
}
