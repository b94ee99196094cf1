import { Rng } from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import { detectHierarchy, detectLevels } from '../src/knees.js';
import type { LatencyPoint } from '../src/latency.js';
import { medianLatency, workingSetSizes } from '../src/latency.js';

const KiB = 1024;
const MiB = 1024 * KiB;

interface Level {
  bytes: number;
  ns: number;
}

/**
 * Latency of a random chase under two textbook replacement models. LRU with a cyclic chase misses every time
 * once the set outgrows the cache (a sharp step); random replacement keeps a fraction capacity/size of the lines
 * (a gradual ramp). Multiplicative noise of ±`noise` stands in for a busy machine.
 */
function syntheticCurve(
  levels: Level[],
  memoryNs: number,
  model: 'lru' | 'random',
  noise = 0,
  sizes = workingSetSizes(4 * KiB, 512 * MiB),
): LatencyPoint[] {
  const rng = new Rng(11);
  return sizes.map((bytes) => {
    let ns = memoryNs;
    let served = 0;
    for (const level of levels) {
      const hit = model === 'lru' ? (bytes <= level.bytes ? 1 : 0) : Math.min(1, level.bytes / bytes);
      const share = Math.max(0, hit - served);
      ns -= share * (memoryNs - level.ns);
      served = Math.max(served, hit);
    }
    return { bytes, ns: ns * (1 + noise * (2 * rng.nextFloat() - 1)) };
  });
}

const THREE_LEVELS: Level[] = [
  { bytes: 48 * KiB, ns: 1.3 },
  { bytes: 2 * MiB, ns: 4.5 },
  { bytes: 32 * MiB, ns: 35 },
];

function expectLevels(found: ReturnType<typeof detectLevels>, truth: Level[], withinFactor: number) {
  expect(found.levels).toHaveLength(truth.length);
  found.levels.forEach((level, i) => {
    const ratio = level.bytes / truth[i]!.bytes;
    expect(ratio).toBeGreaterThan(1 / withinFactor);
    expect(ratio).toBeLessThan(withinFactor);
    expect(level.ns / truth[i]!.ns).toBeCloseTo(1, 0);
  });
}

describe('detectLevels', () => {
  it('finds three sharp (LRU) levels to within half an octave, with their latencies and memory', () => {
    const found = detectLevels(syntheticCurve(THREE_LEVELS, 120, 'lru'));
    expectLevels(found, THREE_LEVELS, 1.5);
    expect(found.beyond.ns).toBeCloseTo(120, 0);
    // each level's plateau: the working sets that fit in it
    expect(found.levels.map((l) => [l.fits.fromBytes, l.fits.toBytes])).toEqual([
      [4 * KiB, 48 * KiB],
      [64 * KiB, 2 * MiB],
      [3 * MiB, 32 * MiB],
    ]);
    const curve = syntheticCurve(THREE_LEVELS, 120, 'lru');
    expect(medianLatency(curve, 64 * KiB, 2 * MiB)).toBeCloseTo(4.5, 9);
    expect(() => medianLatency(curve, 5000, 6000)).toThrow(
      'no working set measured between 5000 and 6000 bytes',
    );
  });

  it('finds gradual (random-replacement) levels within 2× under ±5% noise', () => {
    const found = detectLevels(syntheticCurve(THREE_LEVELS, 120, 'random', 0.05));
    expectLevels(found, THREE_LEVELS, 2);
  });

  it('finds two levels when the machine has two, and four when it has four', () => {
    const two = THREE_LEVELS.slice(0, 2);
    expectLevels(detectLevels(syntheticCurve(two, 90, 'lru', 0.03)), two, 1.5);
    const four = [...THREE_LEVELS, { bytes: 256 * MiB, ns: 80 }];
    expectLevels(detectLevels(syntheticCurve(four, 200, 'lru', 0.03)), four, 1.5);
  });

  it('a shelf smaller than minRise (a cache only partly available) joins the level after it', () => {
    const shelf = [...THREE_LEVELS, { bytes: 256 * MiB, ns: 80 }];
    expectLevels(detectLevels(syntheticCurve(shelf, 120, 'lru', 0.03)), THREE_LEVELS, 1.5);
  });

  it('a flat curve has no knees: everything fits in one level', () => {
    const found = detectLevels(syntheticCurve([], 2, 'lru', 0.05));
    expect(found.levels).toEqual([]);
    expect(found.beyond.ns).toBeCloseTo(2, 0);
  });

  it('a single outlier or a slow drift is not a level', () => {
    const curve = syntheticCurve(THREE_LEVELS, 120, 'lru', 0.02).map((p) => ({
      bytes: p.bytes,
      // memory latency creeping up 10% per octave (TLB and page-table pressure)
      ns: p.bytes > 64 * MiB ? p.ns * 1.1 ** Math.log2(p.bytes / (64 * MiB)) : p.ns,
    }));
    curve[curve.length - 5]!.ns *= 0.6;
    curve[8]!.ns *= 1.8;
    expectLevels(detectLevels(curve), THREE_LEVELS, 1.5);
  });

  it('names the bad point of a malformed curve', () => {
    const good = syntheticCurve(THREE_LEVELS, 120, 'lru');
    expect(() => detectLevels(good.slice(0, 2))).toThrow('need at least 3 points, got 2');
    const zero = good.map((p, i) => (i === 4 ? { ...p, ns: 0 } : p));
    expect(() => detectLevels(zero)).toThrow(
      'point 4 is { bytes: 24576, ns: 0 }, expected positive finite numbers',
    );
    const unsorted = [good[1]!, good[0]!, good[2]!];
    expect(() => detectLevels(unsorted)).toThrow(
      'working sets must increase, but point 1 (4096 bytes) follows 8192',
    );
  });
});

describe('detectHierarchy', () => {
  /** The page-by-page chain of a core whose prefetcher hides most of the L1→L2 step (1.5×, not 3×). */
  const pageLocal = syntheticCurve(
    [
      { bytes: 32 * KiB, ns: 2.2 },
      { bytes: 512 * KiB, ns: 3.3 },
      { bytes: 8 * MiB, ns: 10 },
    ],
    100,
    'lru',
    0.03,
    workingSetSizes(4 * KiB, 1024 * MiB),
  );
  /** The random chain of the same core: full steps, plus a TLB miss on every load past 256 KiB (64 pages). */
  const random = syntheticCurve(
    [
      { bytes: 32 * KiB, ns: 2.2 },
      { bytes: 512 * KiB, ns: 4.7 },
      { bytes: 8 * MiB, ns: 18 },
    ],
    170,
    'lru',
    0.03,
  ).map((p) => ({ bytes: p.bytes, ns: p.bytes > 256 * KiB ? p.ns + 3 : p.ns }));
  const truth = [32 * KiB, 512 * KiB, 8 * MiB];

  it('keeps a knee the prefetcher hid in one chain when the other shows it, and ends on the page-by-page sizes', () => {
    const found = detectHierarchy({ pageLocal, random });
    expect(found.levels.map((l) => Math.log2(l.bytes / truth[l.level - 1]!))).toEqual(
      truth.map(() => expect.closeTo(0, 0)),
    );
    expect(found.beyond.ns).toBeCloseTo(100, -1);
    // The page-by-page chain alone sees the 1.5× step as a wobble, and its first level is then L2.
    expect(detectLevels(pageLocal).levels.map((l) => l.bytes)[0]).toBeGreaterThan(256 * KiB);
  });

  it('a step only the random chain shows (a TLB reach) is not a level', () => {
    // A page-by-page curve with no L2 at all: the random chain's TLB step at 256 KiB must not be taken for one.
    const flatter = syntheticCurve(
      [
        { bytes: 32 * KiB, ns: 2.2 },
        { bytes: 8 * MiB, ns: 10 },
      ],
      100,
      'lru',
      0.03,
    );
    const levels = detectHierarchy({ pageLocal: flatter, random }).levels.map((l) => l.bytes);
    expect(levels).toHaveLength(2);
    expect(levels[1]).toBeGreaterThan(4 * MiB);
  });

  it('a page-by-page shelf that the random chain does not confirm is not a level', () => {
    // Memory 1.5× dearer from 96 MiB on, page by page only (say, page-table pressure the random chain already pays).
    const wobbly = pageLocal.map((p) => ({ bytes: p.bytes, ns: p.bytes >= 96 * MiB ? p.ns * 1.5 : p.ns }));
    expect(detectLevels(wobbly, { minRise: 1.3 }).levels).toHaveLength(4);
    expect(detectHierarchy({ pageLocal: wobbly, random }).levels).toHaveLength(3);
  });

  it('a plateau the random chain did not measure confirms nothing, and a malformed random chain is named', () => {
    const short = random.filter((p) => p.bytes <= 4 * MiB);
    expect(detectHierarchy({ pageLocal, random: short }).levels).toHaveLength(2);
    expect(() => detectHierarchy({ pageLocal, random: random.slice(0, 2) })).toThrow(
      'need at least 3 points, got 2',
    );
  });
});
