// The report model's public surface: build rows/counts/groups from verdicts, render them, redact secrets.
export * from './types';
export { buildReport, ReportBuilder, summaryOf, toRow } from './build';
export {
  reportObject,
  toJson,
  toMarkdown,
  toTable,
  rowForJson,
  tableLayout,
  tableHeader,
  tableRow,
  tableFooter,
  countsLine,
} from './format';
export type { FormatOptions, MarkdownOptions, TableLayout, TableOptions } from './format';
export { redactHeaders, redactHeaderValue, redactRequest, redactUrl, isSensitiveHeader, REDACTED } from './redact';
export { cleanText, markdownCode, markdownText, safeJson, truncateMiddle } from './sanitize';
export { filterTarget, matchesFilter, parseFilter, type FilterTarget } from './filter';
export { toCurl } from './curl';
export { toFetch } from './fetch-snippet';
export { reasonWords } from './reason-words';
export { rowJson } from './row-json';
export { explain, type Explanation } from './explain';
