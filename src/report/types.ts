// The report model shared by the panel, the popup, the CLI and the exports: one diagnosis row per logical request,
// counts per verdict kind, and groups per target origin with their most frequent reasons.
import type {
  BlockReason,
  BrowserName,
  Inference,
  ChromiumCorsError,
  FirefoxCorsReason,
  NotCorsCause,
  NotCorsWhy,
  ObservedRequest,
  ResourceType,
  SecurityFinding,
  Verdict,
  VerdictKind,
} from '../engine/types';

export interface ReportItem {
  request: ObservedRequest;
  verdict: Verdict;
}

export interface DiagnosisRow {
  id: string;
  url: string;
  method: string;
  type: ResourceType | null;
  /** Status of the last response seen for the actual request; null when none (blocked before sending, failed). */
  status: number | null;
  verdict: VerdictKind;
  browser: BrowserName;
  /** Chromium CorsError name, or the Firefox key for a Firefox verdict; null unless blocked. */
  reason: ChromiumCorsError | FirefoxCorsReason | null;
  failedParameter: string | null;
  firefoxReason: FirefoxCorsReason | null;
  chromiumReason: ChromiumCorsError | null;
  /** What happened, in plain words. */
  summary: string;
  /** Label used for grouping ("preflight rejected header x-api-key"); null unless blocked. */
  label: string | null;
  /** What Chromium's / Firefox's console prints for it (blocked only), from src/engine/console-texts.ts. */
  chromiumMessage?: string;
  firefoxMessage?: string;
  stage: BlockReason['stage'] | null;
  hiddenHeaders?: string[];
  notCorsWhy?: NotCorsWhy;
  /** What failed the call when CORS did not (`connection-refused`, `csp`, `http-error`…: docs/not-cors.md). */
  notCorsCause?: NotCorsCause;
  missing?: string[];
  findings: SecurityFinding[];
  preflight: Verdict['preflight'];
  /** Page origin the verdict assumed. */
  initiator: string | null;
  /** Origin of the requested URL (grouping key). */
  targetOrigin: string;
  /**
   * What the verdict had to assume (the engine's inferences that are not certain), e.g. a credentials mode a HAR does
   * not record, with what the other answer would have meant. Absent when nothing was assumed.
   */
  assumptions?: Inference[];
}

export type VerdictCounts = Record<VerdictKind, number>;

export interface ReasonCount {
  reason: string;
  failedParameter: string;
  label: string;
  count: number;
  /** "3 × preflight rejected x-api-key" */
  text: string;
}

export interface OriginGroup {
  origin: string;
  total: number;
  counts: VerdictCounts;
  topReasons: ReasonCount[];
}

export interface Report {
  browser: BrowserName | null;
  total: number;
  counts: VerdictCounts;
  groups: OriginGroup[];
  /** Empty when the report was built without keeping rows (huge inputs streamed by the CLI). */
  rows: DiagnosisRow[];
  findings: number;
}
