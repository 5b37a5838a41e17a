// What every command shares: the help text, the version, one-line errors.
import { readFile } from 'node:fs/promises';
import { cleanText } from '../report';

/** Bad input or usage: one line on stderr, exit status 2. */
export class UsageError extends Error {}

export const HELP = `cors-lens — explain the CORS verdict of every cross-origin request in a HAR file, or probe a live URL

Usage:
  cors-lens explain <file.har> [options]   one diagnosis per logical request (preflights and redirects folded in)
  cors-lens explain - [options]            read the HAR from standard input (e.g. gunzip -c x.har.gz | …)
  cors-lens probe <url> --origin <origin> [options]
                                           send the request as the browser would (preflight, redirects) and
                                           say whether it would let it through
  cors-lens frameworks                     list the frameworks --framework can write a fix for
  cors-lens --help | --version

Options for explain:
  --browser chromium|firefox   browser whose rules and vocabulary to use (default: the browser that
                               made the HAR, from log.browser/log.creator; chromium when it does not say)
  --format table|json|markdown output format (default table); --json is short for --format json
  --origin <origin>            page origin to assume when the HAR does not say (e.g. https://app.example)
  --framework <id>             also print the server config that fixes the blocked requests
  --no-redact                  show URLs as recorded (tokens in query strings are redacted by default)

Options for probe:
  --origin <origin>            origin of the page making the request (required)
  --method <M>, -X <M>         request method (default GET)
  --header 'Name: value', -H   request header set by the page (repeatable)
  --credentials                credentials: 'include' (no cookie is sent; the CORS rules for credentials apply)
  --browser chromium|firefox   browser whose rules to apply (default chromium)
  --framework <id>             also print the server config that fixes a block
  --json                       {url, origin, method, verdict, reason, failedParameter, firefoxReason, summary, exchanges, fix?}
  --timeout <ms>               per exchange (default 10000)
  Exit status: 0 the browser would let it through, 1 it would block it, 2 bad input or network error.

Exit status (explain): 0 nothing blocked, 1 at least one request blocked, 2 bad input or usage error.
JSON output: {"diagnoses":[{"url","method","verdict","reason","failedParameter",...}], "counts", "groups", ...}
  verdict is allowed | allowed-hidden-headers | blocked | not-cors | unknown; reason is Chromium's CorsError name
  (Firefox's reason key with --browser firefox), null unless blocked.
`;

export async function version(): Promise<string> {
  try {
    // Two levels below the root in src/cli/ and in the bundle's dist/cli/ alike.
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** A message cut to one safe terminal line. */
export function oneLine(s: string): string {
  return cleanText(s, 300);
}
