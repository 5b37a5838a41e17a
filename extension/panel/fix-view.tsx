// The fix: the server change that makes this request (or every failing request to that origin) pass while
// keeping everything that works today (merged with the server's current CORS headers and every request seen,
// src/suggest/merged.ts), led by the change against what the server sends now, then the response headers and
// the full configuration for the framework the user picks, with a copy button. Security findings are shown
// as warnings; nothing is "fixed" by suggesting * or origin reflection.
import { useMemo, useState, useId } from 'react';
import type { WireEntry } from '../protocol/messages';
import { needsServerFix } from '../../src/engine';
import { listFrameworks, mergedFixForOrigin, fixTargetOf, guessFramework, type MergedFix } from '../../src/suggest';
import './fix-view.css';
import { CopyButton } from '../ui/copy-button';
import { visible } from '../ui/header-value';
import { originOf as urlOrigin } from '../../src/capture';

const FRAMEWORKS = listFrameworks();

interface Props {
  entry: WireEntry;
  all: WireEntry[];
  framework: string | null;
  onFramework(id: string): void;
}

function failing(e: WireEntry): boolean {
  return needsServerFix(e.verdict);
}

const originOf = (url: string): string => urlOrigin(url) ?? url;

export function FixView({ entry, all, framework, onFramework }: Props) {
  const id = useId();
  const target = useMemo(
    () => fixTargetOf({ request: entry.request, verdict: entry.verdict }) ?? originOf(entry.request.url),
    [entry],
  );
  const items = useMemo(() => all.map((e) => ({ request: e.request, verdict: e.verdict })), [all]);
  const sameOrigin = useMemo(() => all.filter((e) => originOf(e.request.url) === target), [all, target]);
  const failingCount = sameOrigin.filter(failing).length;
  // One merged fix per origin is the default as soon as more than one request went there.
  // (until the user picks a scope, which then sticks from request to request).
  const [chosen, setScope] = useState<'request' | 'origin' | null>(null);
  const scope = chosen ?? (sameOrigin.length > 1 ? 'origin' : 'request');
  const guess = useMemo(() => {
    for (const x of [...entry.request.exchanges].reverse())
      if (x.response) {
        const g = guessFramework(x.response.headers);
        if (g) return g;
      }
    return null;
  }, [entry]);
  const fw = framework ?? guess?.id ?? 'raw-headers';
  const result = useMemo(() => {
    try {
      return {
        fixes: mergedFixForOrigin(items, target, fw, scope === 'request' ? entry.request.id : undefined),
        error: null as string | null,
      };
    } catch (e) {
      return { fixes: null, error: String((e as Error).message ?? e) };
    }
  }, [scope, items, target, entry, fw]);
  const fix: MergedFix | null = result.fixes?.fix ?? null;

  if (!failing(entry) && entry.verdict.findings.length === 0) return null;
  return (
    <section className="fix" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Fix</h3>
      {entry.verdict.findings.length > 0 && (
        <ul className="findings" aria-label="Security findings">
          {entry.verdict.findings.map((f, i) => (
            <li key={i} className={`finding ${f.severity}`}>
              ⚠ {f.message}
            </li>
          ))}
        </ul>
      )}
      {failing(entry) && (
        <>
          <div className="fix-controls">
            <fieldset>
              <legend className="sr-only">Scope of the fix</legend>
              <label>
                <input
                  type="radio"
                  name={`${id}-scope`}
                  checked={scope === 'request'}
                  onChange={() => setScope('request')}
                />{' '}
                This request
              </label>
              <label>
                <input
                  type="radio"
                  name={`${id}-scope`}
                  checked={scope === 'origin'}
                  onChange={() => setScope('origin')}
                />{' '}
                All {sameOrigin.length} requests to {target} ({failingCount} failing)
              </label>
            </fieldset>
            <label htmlFor={`${id}-fw`}>Framework</label>
            <select id={`${id}-fw`} value={fw} onChange={(e) => onFramework(e.target.value)} data-testid="framework">
              {FRAMEWORKS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label} ({f.targetVersion})
                </option>
              ))}
            </select>
            {guess && !framework && <span className="dim">guessed from {guess.because}</span>}
          </div>
          {result.error && (
            <p role="alert" className="err">
              {result.error}
            </p>
          )}
          {result.fixes?.clientSideAdvice.map((a, i) => (
            <p key={i} className="advice">
              Client side: {a.message}
            </p>
          ))}
          {fix && (
            <>
              <FixDiff fix={fix} />
              {fix.notes.length > 0 && (
                <ul className="notes">
                  {fix.notes.map((n, i) => (
                    <li key={i} className={n.startsWith('DANGER') ? 'finding danger' : undefined}>
                      {n}
                    </li>
                  ))}
                </ul>
              )}
              <div className="fix-headers">
                {fix.responseHeaders.preflight.length > 0 && (
                  <HeaderBlock title="Preflight (OPTIONS) response must send" headers={fix.responseHeaders.preflight} />
                )}
                <HeaderBlock title="Actual response must send" headers={fix.responseHeaders.actual} />
              </div>
              <div className="code-head">
                <span>
                  {fix.replacement
                    ? 'Full config'
                    : 'Full config (replaces your current CORS setup; keeps what works today)'}
                  : {FRAMEWORKS.find((f) => f.id === fix.config.framework)?.label}
                  {fix.config.filename ? ` — ${fix.config.filename}` : ''}
                </span>
                <CopyButton label="Copy config" testId="copy-config" text={() => fix.config.code} />
              </div>
              <pre className="code" tabIndex={0} aria-label="Configuration" data-testid="config-code">
                <code>{visible(fix.config.code, true)}</code>
              </pre>
              {fix.config.warnings.length > 0 && (
                <ul className="warnings">
                  {fix.config.warnings.map((w, i) => (
                    <li key={i}>⚠ {w}</li>
                  ))}
                </ul>
              )}
              <p className="fix-defaults dim">Framework defaults: {fix.defaults}</p>
            </>
          )}
          {result.fixes?.warnings.map((w, i) => (
            <p key={i} className="finding warning">
              Left out: {w}
            </p>
          ))}
        </>
      )}
    </section>
  );
}

/** The change against what the server sends now, and what the config narrows (with why). */
function FixDiff({ fix }: { fix: MergedFix }) {
  return (
    <div className="fix-diff" data-testid="fix-diff">
      <h4>
        {fix.replacement
          ? 'New config: the server sends no CORS headers today'
          : 'Change against what the server sends now'}
      </h4>
      <ul>
        {fix.diff.map((d, i) => (
          <li key={i}>{d}</li>
        ))}
      </ul>
      {fix.narrowing.length > 0 && (
        <ul className="fix-narrowing" aria-label="What this config narrows">
          {fix.narrowing.map((n, i) => (
            <li key={i} className="finding warning">
              Narrowed: {n}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function HeaderBlock({ title, headers }: { title: string; headers: { name: string; value: string }[] }) {
  return (
    <div>
      <h4>{title}</h4>
      <pre className="code" tabIndex={0} aria-label={title}>
        <code>{headers.map((h) => `${h.name}: ${visible(h.value)}`).join('\n')}</code>
      </pre>
    </div>
  );
}
