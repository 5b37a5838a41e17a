// The selected request explained: verdict, plain-words explanation, timeline of exchanges with the
// offending header highlighted (expected vs actual), what was inferred, and how the engine decided.
import type { WireEntry } from '../protocol/messages';
import type { Exchange, Header, Verdict } from '../../src/engine/types';
import { VerdictBadge } from '../ui/verdict-badge';
import { shortReason } from '../ui/describe';
import { HeaderValue } from '../ui/header-value';

export function DetailView({ entry }: { entry: WireEntry }) {
  const { request: r, verdict: v } = entry;
  const fault = v.kind === 'blocked' ? v.reason : null;
  return (
    <section className="detail" aria-label="Request details">
      <header className="detail-head">
        <VerdictBadge kind={v.kind} /> <span className="mono">{r.method}</span> <span className="mono url">{r.url}</span>
      </header>
      <p className="summary" data-testid="summary">{shortReason(v) || 'The browser let this request through.'}</p>
      {fault && (
        <dl className="fault" data-testid="fault">
          <dt>Chromium</dt><dd className="mono">{fault.corsError}{fault.failedParameter ? ` (${fault.failedParameter})` : ''}</dd>
          <dt>Firefox</dt><dd className="mono">{fault.firefoxReason}</dd>
          {fault.header && <><dt>Header</dt><dd className="mono">{fault.header}</dd></>}
          {fault.expected !== undefined && <><dt>Expected</dt><dd className="mono">{fault.expected}</dd></>}
          {fault.actual !== undefined && <><dt>Actual</dt><dd className="mono">{fault.actual === null ? '(absent)' : <HeaderValue value={fault.actual} />}</dd></>}
        </dl>
      )}
      <h3>Timeline</h3>
      <ol className="timeline">
        {r.exchanges.map((x, i) => (
          <li key={i}>
            <ExchangeView x={x} index={i} verdict={v} />
          </li>
        ))}
      </ol>
      {v.inferences.length > 0 && (
        <>
          <h3>Inferred</h3>
          <ul className="inferences">
            {v.inferences.map((inf, i) => <li key={i}><b>{inf.what}</b>: {inf.value} <i>({inf.confidence})</i> — {inf.because}</li>)}
          </ul>
        </>
      )}
      {v.trace.length > 0 && (
        <details>
          <summary>How the browser decided</summary>
          <ol className="trace">{v.trace.map((t, i) => <li key={i}>{t}</li>)}</ol>
        </details>
      )}
    </section>
  );
}

function ExchangeView({ x, index, verdict }: { x: Exchange; index: number; verdict: Verdict }) {
  const fault = verdict.kind === 'blocked' && verdict.reason.exchangeIndex === index ? verdict.reason : null;
  const title = x.kind === 'preflight' ? 'Preflight' : index > 0 && x.kind === 'main' ? 'Request' : 'Request';
  return (
    <div className={`exchange${fault ? ' at-fault' : ''}`}>
      <div className="exchange-head">
        <b>{title}</b> <span className="mono">{x.method} {x.url}</span>{' '}
        {x.response ? <span className="mono">→ {x.response.status}</span> : <span className="dim">no response</span>}
        {x.redirectUrl && <span className="mono"> → redirect to {x.redirectUrl}</span>}
        {x.error && <span className="mono err"> {x.error}</span>}
      </div>
      <div className="headers-grid">
        <HeaderTable title="Request headers" headers={x.requestHeaders} highlight={fault?.stage === 'request' ? fault.header : undefined} dropped={x.droppedHeaders?.request} />
        <HeaderTable title="Response headers" headers={x.response?.headers ?? null} highlight={fault && fault.stage !== 'request' ? fault.header : undefined} dropped={x.droppedHeaders?.response} />
      </div>
    </div>
  );
}

function HeaderTable({ title, headers, highlight, dropped }: { title: string; headers: Header[] | null; highlight?: string; dropped?: number }) {
  if (!headers) return <div className="headers"><h4>{title}</h4><p className="dim">not observed</p></div>;
  const hl = highlight?.toLowerCase();
  const missing = hl && !headers.some((h) => h.name.toLowerCase() === hl);
  return (
    <div className="headers">
      <h4>{title}</h4>
      <table>
        <tbody>
          {headers.map((h, i) => (
            <tr key={i} className={h.name.toLowerCase() === hl ? 'hl' : undefined} data-highlight={h.name.toLowerCase() === hl ? 'true' : undefined}>
              <th scope="row" className="mono">{h.name}</th>
              <td className="mono"><HeaderValue value={h.value} originalLength={h.originalLength} /></td>
            </tr>
          ))}
          {missing && (
            <tr className="hl missing" data-highlight="true"><th scope="row" className="mono">{highlight}</th><td className="dim">(absent)</td></tr>
          )}
        </tbody>
      </table>
      {dropped ? <p className="dim">{dropped} more header lines not kept</p> : null}
    </div>
  );
}
