// `cors-lens explain` options: parsed and checked, each mistake one usage error.
import { parseArgs } from 'node:util';
import type { BrowserName } from '../engine/types';
import { UsageError } from './usage';

export interface ExplainOptions {
  file: string;
  /** From --browser; when absent, the HAR's own log.browser / log.creator decides (see browserOfHar). */
  browser: BrowserName | null;
  format: 'table' | 'json' | 'markdown';
  origin?: string;
  framework?: string;
  redact: boolean;
}

const OPTIONS = {
  browser: { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  origin: { type: 'string' },
  framework: { type: 'string' },
  'no-redact': { type: 'boolean' },
  redact: { type: 'boolean' },
} as const;

function browserArg(browser: string | undefined): BrowserName | null {
  if (browser === undefined) return null;
  if (browser !== 'chromium' && browser !== 'firefox')
    throw new UsageError(`--browser must be chromium or firefox, not ${JSON.stringify(browser)}`);
  return browser;
}

function formatArg(json: boolean | undefined, format: string | undefined): ExplainOptions['format'] {
  const chosen = json ? 'json' : (format ?? 'table');
  if (chosen !== 'table' && chosen !== 'json' && chosen !== 'markdown')
    throw new UsageError(`--format must be table, json or markdown, not ${JSON.stringify(chosen)}`);
  if (json && format && format !== 'json') throw new UsageError('--json conflicts with --format ' + format);
  return chosen;
}

function originArg(origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  try {
    const u = new URL(origin);
    if (u.origin === 'null') throw new Error();
    return u.origin;
  } catch {
    throw new UsageError(`--origin must be an origin such as https://app.example, not ${JSON.stringify(origin)}`);
  }
}

export function parseExplain(args: string[]): ExplainOptions {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length
        ? 'explain takes exactly one HAR file'
        : 'explain needs a HAR file: cors-lens explain <file.har>',
    );
  const browser = browserArg(values.browser);
  const format = formatArg(values.json, values.format);
  const origin = originArg(values.origin);
  return { file: positionals[0], browser, format, origin, framework: values.framework, redact: !values['no-redact'] };
}
