// Shared helpers of the benchmarks (test/bench/*.ts): medians, alternating A/B rounds, the figures format that
// run.mjs collects, and the machine load printed beside every figure (these are shared 2-core machines).
import { loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';

export interface Figure {
  /** Short stable key, e.g. `page.lens_vs_noext`. */
  key: string;
  label: string;
  value: number;
  unit: string;
  /** The goal, in words (`≤ 1.05`), when the brief sets one. */
  goal?: string;
  /** Whether `value` meets the goal (undefined: no goal). */
  pass?: boolean;
  /** What the value was measured against, in words. */
  baseline?: string;
}

export interface BenchResult {
  name: string;
  figures: Figure[];
  notes: string[];
  /** Raw samples and details, kept in results.json for whoever wants to look deeper. */
  raw: Record<string, unknown>;
  load: { before: number[]; after: number[] };
  seconds: number;
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

/** Median of the per-round ratios a[i]/b[i]: each round's A and B ran back to back, under the same load. */
export const ratioOfRounds = (a: number[], b: number[]): number => median(a.map((x, i) => x / b[i]));

export const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

/**
 * Runs each variant `rounds` times, interleaved (A B C, B C A, C A B, …: the order rotates so no variant always
 * runs right after the same one) after `warmup` discarded rounds. Returns the samples per variant.
 */
export async function alternate<K extends string>(
  variants: Record<K, () => Promise<number>>,
  rounds: number,
  warmup = 1,
  log = (_: string) => {},
): Promise<Record<K, number[]>> {
  const names = Object.keys(variants) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let r = -warmup; r < rounds; r++) {
    const k = ((r % names.length) + names.length) % names.length;
    const order = [...names.slice(k), ...names.slice(0, k)];
    const got: string[] = [];
    for (const n of order) {
      const v = await variants[n]();
      if (r >= 0) out[n].push(v);
      got.push(`${n}=${round(v, 4)}`);
    }
    log(`${r < 0 ? 'warm-up' : `round ${r + 1}/${rounds}`}: ${got.join(' ')}`);
  }
  return out;
}

export const load = (): number[] => loadavg().map((x) => round(x, 3));

/** Collects figures and writes them where run.mjs asked (`--out <file>`), or prints them as JSON. */
export class Reporter {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];
  readonly raw: Record<string, unknown> = {};
  private readonly t0 = Date.now();
  private readonly loadBefore = load();

  constructor(readonly name: string) {}

  fig(f: Figure): void {
    this.figures.push({ ...f, value: round(f.value, 4) });
    const goal = f.goal ? `  (goal ${f.goal}: ${f.pass ? 'met' : 'MISSED'})` : '';
    log(`${this.name}: ${f.label} = ${round(f.value, 4)} ${f.unit}${f.baseline ? ` vs ${f.baseline}` : ''}${goal}`);
  }

  note(s: string): void {
    this.notes.push(s);
    log(`${this.name}: note: ${s}`);
  }

  finish(): BenchResult {
    const res: BenchResult = {
      name: this.name,
      figures: this.figures,
      notes: this.notes,
      raw: this.raw,
      load: { before: this.loadBefore, after: load() },
      seconds: round((Date.now() - this.t0) / 1000, 4),
    };
    const i = process.argv.indexOf('--out');
    if (i > 0 && process.argv[i + 1]) writeFileSync(process.argv[i + 1], JSON.stringify(res, null, 2));
    else process.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
    return res;
  }
}

export const log = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a bench's main, making sure a failure exits non-zero with one readable line. */
export function main(fn: () => Promise<void>): void {
  fn().then(
    () => process.exit(0),
    (e) => {
      log(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(1);
    },
  );
}
