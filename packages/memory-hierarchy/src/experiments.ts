import { MATMUL_KERNELS, Rng } from '@mle/tensor';
import { type BandwidthPoint, bandwidthCurve, type StridePoint, strideSweep } from './bandwidth.js';
import { type FalseSharingResult, falseSharing, falseSharingLineSize } from './false-sharing.js';
import { detectHierarchy, detectLevels, type HierarchyEstimate } from './knees.js';
import {
  type LatencyCurves,
  type LatencyPoint,
  latencyCurve,
  medianLatency,
  tlbCurve,
  workingSetSizes,
} from './latency.js';
import {
  columnMeanAos,
  columnMeanSoa,
  featureTable,
  scoreAos,
  scoreSoa,
  sumColumnMajor,
  sumRowMajor,
} from './layouts.js';
import { detectLineSize, type PairPoint, pairCurve } from './line-size.js';
import {
  CacheInfoUnavailableError,
  readLscpuCaches,
  readSysfsCaches,
  type SystemCache,
} from './system-caches.js';
import { nsPerUnit } from './timing.js';
import { WasmProbe } from './wasm.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/**
 * The random chain stops at 512 MiB: past it, on this machine, its latency climbs with the page tables (page walks
 * that miss the caches themselves), which reads as a knee that is no cache. The page-by-page chain goes on.
 */
const RANDOM_MAX_BYTES = 512 * MiB;
/** Gaps between the two false-sharing counters: every power of two from one int32 to four 64-byte lines. */
const SHARING_GAPS = [4, 8, 16, 32, 64, 128, 256];

export interface ExperimentOptions {
  seed?: number;
  /**
   * Largest working set of the page-by-page latency probe and the bandwidth probe. The default, 1 GiB, reaches
   * twice past the largest L3 this machine's system reports (480 MiB), where a knee would show if all of it
   * served this guest.
   */
  maxBytes?: number;
  /**
   * The same experiments at smaller sizes, for CI and a first look: working sets up to 64 MiB (unless maxBytes
   * says otherwise), the matmul ladder at n = 256 only, and a tenth of the false-sharing increments.
   */
  quick?: boolean;
  /** Called as each experiment starts, for progress output. */
  onStep?: (label: string) => void;
}

export interface SystemCaches {
  sysfs: SystemCache[] | undefined;
  lscpu: SystemCache[] | undefined;
  /** Why sysfs or lscpu could not be read, when one could not. */
  unavailable: string | undefined;
}

export interface TimedCase {
  name: string;
  ms: number;
}

export interface Results {
  system: SystemCaches;
  latency: { random: LatencyCurves; pageLocal: LatencyPoint[]; tlb: LatencyPoint[] };
  /**
   * The levels: knees of the page-by-page chain that the random chain confirms (see detectHierarchy). On the
   * random chain alone, every load past the TLB's reach also pays a page walk, which adds steps that are no cache.
   */
  hierarchy: HierarchyEstimate;
  /**
   * What a lone random load costs on each level: the random chain's median over the first octave of the level's
   * plateau, where the set has just outgrown the level above and is far from filling this one (nor the TLB).
   */
  levelLatency: { level: number; js: number; wasm: number }[];
  /** The random chain's latency at its largest working set, where nearly every load goes to DRAM. */
  memoryLatency: { bytes: number; js: number; wasm: number };
  /** The knees of the random chain itself, for comparison. */
  randomKnees: { js: HierarchyEstimate; wasm: HierarchyEstimate };
  bandwidth: BandwidthPoint[];
  stride: StridePoint[];
  pairs: PairPoint[];
  /**
   * The line size from the two-load probe (a second miss costs more than a hit in the same line); undefined when
   * the probe cannot tell (see detectLineSize).
   */
  lineBytes: number | undefined;
  /**
   * The line size from the false-sharing sweep (counters in one line contend); undefined when the sweep cannot
   * tell (see falseSharingLineSize).
   */
  sharingLineBytes: number | undefined;
  traversal: TimedCase[];
  features: TimedCase[];
  matmul: { n: number; kernel: string; gflops: number }[];
  falseSharing: FalseSharingResult[];
}

/** The account the comparisons use: sysfs when it could be read, else lscpu; undefined when neither could. */
export function reportedCaches(
  system: SystemCaches,
): { source: 'sysfs' | 'lscpu'; caches: SystemCache[] } | undefined {
  if (system.sysfs) return { source: 'sysfs', caches: system.sysfs };
  if (system.lscpu) return { source: 'lscpu', caches: system.lscpu };
  return undefined;
}

/** Both accounts of the caches; either may be missing, and the probes run regardless. */
export function readSystemCaches(): SystemCaches {
  const unavailable: string[] = [];
  const attempt = (read: () => SystemCache[] | undefined): SystemCache[] | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof CacheInfoUnavailableError)) throw error;
      unavailable.push(error.message);
      return undefined;
    }
  };
  const sysfs = attempt(() => readSysfsCaches());
  const lscpu = attempt(readLscpuCaches);
  return { sysfs, lscpu, unavailable: unavailable.length === 0 ? undefined : unavailable.join('; ') };
}

/** Every experiment of the package, in the order the README explains them. */
export async function runExperiments(options: ExperimentOptions = {}): Promise<Results> {
  const { seed = 1, quick = false, maxBytes = quick ? 64 * MiB : 1024 * MiB, onStep = () => {} } = options;
  const system = readSystemCaches();
  const wasm = await WasmProbe.create();

  onStep('latency: random chain, JavaScript and WebAssembly');
  const sizes = workingSetSizes(4 * KiB, maxBytes);
  const random = latencyCurve(
    sizes.filter((size) => size <= RANDOM_MAX_BYTES),
    'random',
    { seed, wasm },
  );
  onStep('latency: page-by-page chain');
  const pageLocal = latencyCurve(sizes, 'page-local', { seed }).js;
  onStep('latency: one line per page (TLB)');
  const pageCounts = workingSetSizes(4 * KiB, Math.min(maxBytes, 512 * MiB)).map(
    (bytes) => bytes / (4 * KiB),
  );
  const tlb = tlbCurve(pageCounts, { seed });

  onStep('bandwidth: read, write, copy');
  const bandwidthSizes = sizes.filter((size) => Number.isInteger(Math.log2(size)));
  const bandwidth = bandwidthCurve(bandwidthSizes, wasm);
  onStep('stride and line size');
  const stride = strideSweep(Math.min(maxBytes, 64 * MiB), [1, 2, 4, 8, 16, 32, 64], wasm);
  const pairs = pairCurve(wasm, [4, 8, 16, 32, 64, 128, 256], { bytes: Math.min(maxBytes, 128 * MiB), seed });

  onStep('row-major vs column-major, AoS vs SoA');
  const traversal = traversalCases(4096, seed);
  const features = featureCases(2 ** 20, 16, seed);
  onStep('matmul ladder');
  const matmul = quick ? matmulCases(256, seed) : [...matmulCases(512, seed), ...matmulCases(1024, seed)];
  onStep('false sharing');
  const falseSharingResults: FalseSharingResult[] = [];
  const increments = quick ? 500_000 : 5_000_000;
  for (const gap of SHARING_GAPS) falseSharingResults.push(await falseSharing(gap, increments));

  const hierarchy = detectHierarchy({ pageLocal, random: random.js });
  return {
    system,
    latency: { random, pageLocal, tlb },
    hierarchy,
    levelLatency: hierarchy.levels.map(({ level, fits }) => {
      const to = Math.min(fits.toBytes, 2 * fits.fromBytes);
      return {
        level,
        js: medianLatency(random.js, fits.fromBytes, to),
        wasm: medianLatency(random.wasm, fits.fromBytes, to),
      };
    }),
    memoryLatency: { bytes: random.js.at(-1)!.bytes, js: random.js.at(-1)!.ns, wasm: random.wasm.at(-1)!.ns },
    randomKnees: { js: detectLevels(random.js), wasm: detectLevels(random.wasm) },
    bandwidth,
    stride,
    pairs,
    lineBytes: detectLineSize(pairs),
    sharingLineBytes: falseSharingLineSize(falseSharingResults),
    traversal,
    features,
    matmul,
    falseSharing: falseSharingResults,
  };
}

/** Median milliseconds per call of `run`; the first (calibration) call also warms the JIT. */
function msPerRun(run: () => number, repeats = 3): number {
  return (
    nsPerUnit(
      (runs) => {
        let s = 0;
        for (let r = 0; r < runs; r++) s += run();
        return s;
      },
      { initialUnits: 1, targetMs: 100, repeats },
    ) / 1e6
  );
}

function traversalCases(n: number, seed: number): TimedCase[] {
  const matrix = new Rng(seed).uniform([n, n]).data as Float32Array;
  return [
    { name: `row-major sum ${n}×${n}`, ms: msPerRun(() => sumRowMajor(matrix, n)) },
    { name: `column-major sum ${n}×${n}`, ms: msPerRun(() => sumColumnMajor(matrix, n)) },
  ];
}

function featureCases(rows: number, features: number, seed: number): TimedCase[] {
  const table = featureTable(rows, features, seed);
  const weights = new Float32Array(features).fill(0.5);
  const out = new Float32Array(rows);
  return [
    { name: 'one feature mean, AoS', ms: msPerRun(() => columnMeanAos(table, 3)) },
    { name: 'one feature mean, SoA', ms: msPerRun(() => columnMeanSoa(table, 3)) },
    { name: 'linear scores x·w, AoS', ms: msPerRun(() => scoreAos(table, weights, out)[rows - 1]!) },
    { name: 'linear scores x·w, SoA', ms: msPerRun(() => scoreSoa(table, weights, out)[rows - 1]!) },
  ];
}

/**
 * The first three rungs of @mle/tensor's matmul ladder at n = 512, where B (1 MiB) fits in a 2 MiB L2 such as this machine's, and at
 * n = 1024, where it (4 MiB) does not and the i-j-k loop's column walk of B takes a new line and page per step.
 * Runs at n = 1024 take seconds, so one timed run follows the calibration run.
 */
function matmulCases(n: number, seed: number): { n: number; kernel: string; gflops: number }[] {
  const rng = new Rng(seed);
  const a = rng.uniform([n, n]).data as Float32Array;
  const b = rng.uniform([n, n]).data as Float32Array;
  const names = { naive: 'i-j-k (naive)', reordered: 'i-k-j (reordered)', blocked: 'blocked' } as const;
  return (Object.keys(names) as (keyof typeof names)[]).map((kernel) => {
    const ms = msPerRun(() => MATMUL_KERNELS[kernel](a, b, n, n, n)[0]!, n >= 1024 ? 1 : 3);
    return { n, kernel: names[kernel], gflops: (2 * n ** 3) / (ms * 1e6) };
  });
}
