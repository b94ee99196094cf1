import { median } from '@mle/report';
import { type LatencyPoint, medianLatency } from './latency.js';

/** A stretch of working sets, in bytes, both ends measured. */
export interface ByteRange {
  fromBytes: number;
  toBytes: number;
}

export interface KneeOptions {
  /**
   * A stretch of the curve is part of a knee when latency grows faster than this factor per doubling of the
   * working set. Inside a level it grows a few percent (TLB and page-table pressure); across a knee, 2–4×.
   */
  steepPerOctave?: number;
  /** A level must hold its latency over at least this many octaves, or the knees around it are one knee. */
  minPlateauOctaves?: number;
  /**
   * Latency must rise at least this factor across a knee. Each level of a real hierarchy is several times slower
   * than the one before (L1 to L2 about 3×, L2 to L3 and L3 to DRAM 3–10×); a smaller step is a wobble, or a shelf
   * where a shared cache is only partly available, not a level of its own.
   */
  minRise?: number;
  /**
   * A second test every knee must pass, given the plateau below it and the plateau above it; a knee that fails is
   * dropped like a wobble. `detectHierarchy` uses it to ask a second chain whether the step is a cache's.
   */
  confirm?: (below: ByteRange, above: ByteRange) => boolean;
}

export interface CacheLevelEstimate {
  /** 1 for the first knee (L1), 2 for the second, ... */
  level: number;
  /** Estimated capacity: the working set where latency crosses the geometric mean of this level and the next. */
  bytes: number;
  /** Median latency of the working sets that fit (ns per load). */
  ns: number;
  /** The smallest and largest measured working sets on this level's plateau. */
  fits: { fromBytes: number; toBytes: number };
}

export interface HierarchyEstimate {
  levels: CacheLevelEstimate[];
  /** The stretch after the last knee: main memory, when the curve reaches past the last cache. */
  beyond: { fromBytes: number; ns: number };
}

/**
 * Finds the knees of a latency curve (ns per load against working-set size) and reads a cache level off each.
 * The curve is split into plateaus (latency nearly flat per octave) and knees (latency rising steeply); each
 * knee ends a level whose capacity is where the curve crosses halfway, on a log scale, between the plateaus.
 */
export function detectLevels(points: readonly LatencyPoint[], options: KneeOptions = {}): HierarchyEstimate {
  const { steepPerOctave = 1.6, minPlateauOctaves = 0.5, minRise = 2, confirm = () => true } = options;
  checkCurve(points);
  const x = points.map((p) => Math.log2(p.bytes));
  // A running median of three removes a single noisy point (a timer hiccup) and keeps real steps sharp.
  const raw = points.map((p) => Math.log(p.ns));
  const y = raw.map((v, i) => (i === 0 || i === raw.length - 1 ? v : median([raw[i - 1]!, v, raw[i + 1]!])));
  const steep = Math.log(steepPerOctave);

  // Knees as [first point, last point] of each maximal run of steep intervals.
  const knees: [number, number][] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    if ((y[i + 1]! - y[i]!) / (x[i + 1]! - x[i]!) <= steep) continue;
    const last = knees.at(-1);
    if (last !== undefined && last[1] === i) last[1] = i + 1;
    else knees.push([i, i + 1]);
  }
  // A plateau too short to be a level is part of the knee around it: merge the two knees.
  for (let k = 0; k + 1 < knees.length; ) {
    if (x[knees[k + 1]![0]]! - x[knees[k]![1]]! < minPlateauOctaves) {
      knees[k]![1] = knees[k + 1]![1];
      knees.splice(k + 1, 1);
    } else k++;
  }

  const plateau = (from: number, to: number) => median(points.slice(from, to + 1).map((p) => p.ns));
  const belowSpan = (k: number): [number, number] => [k === 0 ? 0 : knees[k - 1]![1], knees[k]![0]];
  const aboveSpan = (k: number): [number, number] => [
    knees[k]![1],
    k + 1 < knees.length ? knees[k + 1]![0] : points.length - 1,
  ];
  const below = (k: number) => plateau(...belowSpan(k));
  const above = (k: number) => plateau(...aboveSpan(k));
  const bytes = ([from, to]: [number, number]): ByteRange => ({
    fromBytes: points[from]!.bytes,
    toBytes: points[to]!.bytes,
  });
  // A knee that does not lift latency by minRise (or fails `confirm`) is a wobble: drop it (its plateaus join),
  // then look again.
  for (let k = 0; k < knees.length; ) {
    if (above(k) >= minRise * below(k) && confirm(bytes(belowSpan(k)), bytes(aboveSpan(k)))) k++;
    else knees.splice(k, 1);
  }
  const levels = knees.map(([from, to], k): CacheLevelEstimate => {
    const [low, high] = [below(k), above(k)];
    return {
      level: k + 1,
      bytes: crossing(x, y, from, to, (Math.log(low) + Math.log(high)) / 2),
      ns: low,
      fits: { fromBytes: points[k === 0 ? 0 : knees[k - 1]![1]]!.bytes, toBytes: points[from]!.bytes },
    };
  });
  const tail = knees.length === 0 ? 0 : knees.at(-1)![1];
  return { levels, beyond: { fromBytes: points[tail]!.bytes, ns: plateau(tail, points.length - 1) } };
}

export interface HierarchyOptions extends Omit<KneeOptions, 'minRise' | 'confirm'> {
  /** The least rise of the page-by-page chain across a knee for it to be a candidate (default 1.3). */
  candidateRise?: number;
  /** The least rise of the random chain between the same two plateaus for a candidate to be a level (default 1.6). */
  confirmRise?: number;
}

/**
 * The levels of the hierarchy, read off two chains measured on the same machine, because neither is enough alone.
 *
 * The random chain pays the full cost of every step, but once its pages outnumber the TLB's entries it also pays
 * a TLB miss on nearly every load, which adds steps of its own at the TLB's reach. The page-by-page chain (64 loads
 * per page) removes the TLB's share, so its knees sit where the caches end; but the prefetcher, which works within
 * a page, hides part of each step, and on some cores an L2 hit page by page costs only about 1.5× an L1 hit.
 *
 * So a knee is taken from the page-by-page chain at a low bar (`candidateRise`), and kept only where the random
 * chain, between the same two plateaus, is at least `confirmRise` times slower: a cache's step shows in both. A TLB
 * step shows only in the random chain and is never a candidate; a wobble of the page-by-page chain is not
 * confirmed. The sizes are the page-by-page chain's; the random chain only decides which knees are levels.
 */
export function detectHierarchy(
  curves: { pageLocal: readonly LatencyPoint[]; random: readonly LatencyPoint[] },
  options: HierarchyOptions = {},
): HierarchyEstimate {
  const { candidateRise = 1.3, confirmRise = 1.6, ...knees } = options;
  const { random } = curves;
  checkCurve(random);
  return detectLevels(curves.pageLocal, {
    ...knees,
    minRise: candidateRise,
    confirm: (below, above) => {
      // The random chain may stop short of the page-by-page chain (it stops where page walks miss the caches) or
      // be sampled elsewhere: a plateau it did not measure confirms nothing.
      const measured = (range: ByteRange) =>
        random.some((p) => p.bytes >= range.fromBytes && p.bytes <= range.toBytes)
          ? medianLatency(random, range.fromBytes, range.toBytes)
          : undefined;
      const low = measured(below);
      const high = measured(above);
      return low !== undefined && high !== undefined && high >= confirmRise * low;
    },
  });
}

/** The working set (bytes) where the log-latency first reaches `level` between points `from` and `to`, log-interpolated. */
function crossing(x: number[], y: number[], from: number, to: number, level: number): number {
  for (let i = from + 1; i <= to; i++) {
    if (y[i]! >= level) {
      const t = (level - y[i - 1]!) / (y[i]! - y[i - 1]!);
      return 2 ** (x[i - 1]! + Math.max(0, Math.min(1, t)) * (x[i]! - x[i - 1]!));
    }
  }
  return 2 ** x[to]!;
}

function checkCurve(points: readonly LatencyPoint[]): void {
  if (points.length < 3) throw new RangeError(`detectLevels: need at least 3 points, got ${points.length}`);
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.bytes) && p.bytes > 0 && Number.isFinite(p.ns) && p.ns > 0))
      throw new RangeError(
        `detectLevels: point ${i} is { bytes: ${p.bytes}, ns: ${p.ns} }, expected positive finite numbers`,
      );
    if (i > 0 && p.bytes <= points[i - 1]!.bytes)
      throw new RangeError(
        `detectLevels: working sets must increase, but point ${i} (${p.bytes} bytes) follows ${points[i - 1]!.bytes}`,
      );
  });
}
