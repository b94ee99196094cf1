import { performance } from 'node:perf_hooks';
import { type MachineInfo, machineInfo, machineLine } from './machine.js';
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
  /** Where it was measured; printBenchReport fills in this machine when it is left out. */
  machine?: MachineInfo;
  results: BenchResult[];
}

/** The flags every bench takes. */
export interface BenchFlags {
  /** One JSON object on stdout instead of a table (and no charts or progress written). */
  json: boolean;
  /** Smaller sizes and fewer runs: the same code path, for CI and a first look. */
  quick: boolean;
}

/** The value of one row of a report, for a bench that renders tables from its rows; a missing row is an error naming it. */
export function resultValue(
  results: readonly BenchResult[],
  c: string,
  impl: string,
  metric: string,
): number {
  const row = results.find((r) => r.case === c && r.impl === impl && r.metric === metric);
  if (!row) throw new Error(`bench: no "${metric}" row for ${impl} at ${c}`);
  return row.value;
}

/** The flags every demo takes. */
export interface DemoFlags {
  /** A shorter run of the same code path (fewer epochs, smaller sizes) that writes no charts: what CI runs. */
  quick: boolean;
}

/**
 * The flags of a bench or demo script, parsed one way everywhere. pnpm passes the `--` of
 * `pnpm --filter x bench -- --json` through to the script, so a bare `--` is dropped; anything else is refused.
 */
function parseFlags(argv: readonly string[], allowed: readonly string[], script: string): Set<string> {
  const args = argv.filter((arg) => arg !== '--');
  const unknown = args.filter((arg) => !allowed.includes(arg));
  if (unknown.length > 0)
    throw new Error(
      `${script}: unknown argument ${unknown.map((a) => `"${a}"`).join(', ')} (a ${script} takes ${allowed.join(' and ')})`,
    );
  return new Set(args);
}

/** `--json` and `--quick`, for every bench. */
export function benchFlags(argv: readonly string[] = process.argv.slice(2)): BenchFlags {
  const flags = parseFlags(argv, ['--json', '--quick'], 'bench');
  return { json: flags.has('--json'), quick: flags.has('--quick') };
}

/** A bench's progress lines: to stderr for a reader, and none with --json (stdout then carries only the JSON). */
export function benchLog(flags: Pick<BenchFlags, 'json'>): (line: string) => void {
  return (line) => {
    if (!flags.json) console.error(line);
  };
}

/** `--quick`, for every demo. */
export function demoFlags(argv: readonly string[] = process.argv.slice(2)): DemoFlags {
  return { quick: parseFlags(argv, ['--quick'], 'demo').has('--quick') };
}

/** Prints the report as one JSON object on stdout with `json`, else as a table under the machine's line. */
export function printBenchReport(report: BenchReport, flags: Pick<BenchFlags, 'json'>): void {
  const withMachine = {
    package: report.package,
    machine: report.machine ?? machineInfo(),
    results: report.results,
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(withMachine)}\n`);
    return;
  }
  const rows = report.results.map((r) => [r.case, r.impl, r.metric, r.value, r.unit]);
  process.stdout.write(
    `${report.package}\nmachine: ${machineLine(withMachine.machine)}\n${formatTable(['case', 'impl', 'metric', 'value', 'unit'], rows)}\n`,
  );
}

export interface Timing {
  /** Milliseconds per run, in the order measured. */
  samples: number[];
  median: number;
  min: number;
}

/** A millisecond clock; tests inject a fake one so that nothing they assert depends on the machine's speed. */
export type Clock = () => number;

/** The real clock: `performance.now()`. */
export const performanceClock: Clock = () => performance.now();

/**
 * Times `run` after `warmup` untimed calls. The machine is shared and noisy: report the median, and
 * compare implementations measured in the same process.
 */
export function measure(
  run: () => unknown,
  options: { warmup?: number; runs?: number; now?: Clock } = {},
): Timing {
  const { warmup = 2, runs = 7, now = performanceClock } = options;
  if (!Number.isInteger(runs) || runs < 1)
    throw new RangeError(`measure: runs must be a positive integer, got ${runs}`);
  for (let i = 0; i < warmup; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    run();
    samples.push(now() - start);
  }
  return { samples, median: median(samples), min: Math.min(...samples) };
}

/**
 * Times `run` adaptively for a bench table: enough warm-up to let the JIT settle, then samples until
 * about `budgetMs` has passed (at least `minRuns`, at most `maxRuns`). Works for async code too.
 */
export async function measureAdaptive(
  run: () => unknown,
  options: { budgetMs?: number; minRuns?: number; maxRuns?: number; now?: Clock } = {},
): Promise<Timing> {
  const { budgetMs = 1500, minRuns = 3, maxRuns = 15, now = performanceClock } = options;
  const first = now();
  await run();
  const once = now() - first;
  if (once < budgetMs / 10) await run();
  const samples: number[] = [];
  const start = now();
  while (samples.length < minRuns || (samples.length < maxRuns && now() - start < budgetMs)) {
    const t0 = now();
    await run();
    samples.push(now() - t0);
  }
  return { samples, median: median(samples), min: Math.min(...samples) };
}

/** The nearest-rank percentile (p in 0…100): the value below which p% of the sorted values fall. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be in 0…100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
