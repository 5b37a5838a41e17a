// The report model's public surface: build rows/counts/groups from verdicts, render them, redact secrets.
export * from './types';
export { buildReport, ReportBuilder, summaryOf, toRow } from './build';
export { reportObject, toJson, toMarkdown, toTable, rowForJson, tableLayout, tableHeader, tableRow, tableFooter, countsLine } from './format';
export type { FormatOptions, MarkdownOptions, TableLayout, TableOptions } from './format';
export { redactHeaders, redactHeaderValue, redactRequest, redactUrl, isSensitiveHeader, REDACTED } from './redact';
export { cleanText, markdownCode, markdownText, safeJson, truncateMiddle } from './sanitize';
