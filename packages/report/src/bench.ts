import { performance } from 'node:perf_hooks';
import { formatTable } from './table.js';

/** One measured number, the row format every package's `bench -- --json` prints (see ARCHITECTURE.md). */
export interface BenchResult {
  case: string;
  impl: string;
  metric: string;
  value: number;
  unit: string;
}

export interface BenchReport {
  package: string;
  results: BenchResult[];
}

/** Prints the report as one JSON object on stdout when --json is given, else as a table. */
export function printBenchReport(report: BenchReport, argv: readonly string[] = process.argv): void {
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const rows = report.results.map((r) => [r.case, r.impl, r.metric, r.value, r.unit]);
  process.stdout.write(
    `${report.package}\n${formatTable(['case', 'impl', 'metric', 'value', 'unit'], rows)}\n`,
  );
}

export interface Timing {
  /** Milliseconds per run, in the order measured. */
  samples: number[];
  median: number;
  min: number;
}

/**
 * Times `run` after `warmup` untimed calls. The machine is shared and noisy: report the median, and
 * compare implementations measured in the same process.
 */
export function measure(run: () => unknown, options: { warmup?: number; runs?: number } = {}): Timing {
  const { warmup = 2, runs = 7 } = options;
  if (!Number.isInteger(runs) || runs < 1)
    throw new RangeError(`measure: runs must be a positive integer, got ${runs}`);
  for (let i = 0; i < warmup; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return { samples, median: median(samples), min: Math.min(...samples) };
}

/**
 * Times `run` adaptively for a bench table: enough warm-up to let the JIT settle, then samples until
 * about `budgetMs` has passed (at least `minRuns`, at most `maxRuns`). Works for async code too.
 */
export async function measureAdaptive(
  run: () => unknown,
  options: { budgetMs?: number; minRuns?: number; maxRuns?: number } = {},
): Promise<Timing> {
  const { budgetMs = 1500, minRuns = 3, maxRuns = 15 } = options;
  const first = performance.now();
  await run();
  const once = performance.now() - first;
  if (once < budgetMs / 10) await run();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || (samples.length < maxRuns && performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return { samples, median: median(samples), min: Math.min(...samples) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
