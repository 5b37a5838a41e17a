// Export the tab's report as JSON, HAR (with CORS annotations) or Markdown (for a bug ticket). Secrets are
// redacted unless the user ticks "include secrets" for this export.
import { useId, useState } from 'react';
import type { WireEntry } from '../protocol/messages';
import { buildReport, toJson, toMarkdown } from '../../src/report';
import { exportHar } from '../../src/har';

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportText(
  kind: 'json' | 'har' | 'md',
  entries: WireEntry[],
  redact: boolean,
  pageUrl?: string,
): string {
  const items = entries.map((e) => ({ request: e.request, verdict: e.verdict }));
  if (kind === 'har') return JSON.stringify(exportHar(items, { redact }), null, 2);
  const report = buildReport(items);
  return kind === 'json'
    ? toJson(report, { redact, indent: 2 })
    : toMarkdown(report, { redact, title: `CORS Lens report${pageUrl ? ` for ${pageUrl}` : ''}` });
}

export function ExportMenu({ entries, pageUrl }: { entries: WireEntry[]; pageUrl?: string }) {
  const id = useId();
  const [secrets, setSecrets] = useState(false);
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
  const go = (kind: 'json' | 'har' | 'md') => {
    const type = kind === 'md' ? 'text/markdown' : 'application/json';
    download(`cors-lens-${stamp()}.${kind === 'md' ? 'md' : kind}`, type, exportText(kind, entries, !secrets, pageUrl));
  };
  // A menu, not a row of buttons: docked right, the toolbar has no room for four more controls.
  return (
    <details className="export" data-testid="export-menu">
      <summary aria-disabled={!entries.length || undefined}>Export</summary>
      <div className="export-menu" role="group" aria-labelledby={`${id}-l`}>
        <span id={`${id}-l`} className="dim">
          Export as
        </span>
        <button type="button" onClick={() => go('json')} disabled={!entries.length}>
          JSON report
        </button>
        <button type="button" onClick={() => go('har')} disabled={!entries.length}>
          HAR (annotated)
        </button>
        <button type="button" onClick={() => go('md')} disabled={!entries.length}>
          Markdown (bug ticket)
        </button>
        <label title="Cookie, Authorization and similar values are replaced by REDACTED unless ticked">
          <input type="checkbox" checked={secrets} onChange={(e) => setSecrets(e.target.checked)} /> include secrets
        </label>
      </div>
    </details>
  );
}
