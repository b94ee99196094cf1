import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectLevels } from '../src/knees.js';
import type { LatencyPoint } from '../src/latency.js';
import { detectLineSize, type PairPoint } from '../src/line-size.js';

/** Curves the demo recorded on the development machine (see the file's description), for the detectors' regressions. */
const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/recorded-curves.json', import.meta.url), 'utf8'),
) as {
  pageLocal: LatencyPoint[];
  randomJs: LatencyPoint[];
  randomWasm: LatencyPoint[];
  pairs: PairPoint[];
};

const KiB = 1024;
const MiB = 1024 * KiB;

/** The target: a detected size within 2× of the one sysfs reports, either way. */
function expectWithin2x(detected: number | undefined, reported: number) {
  expect(detected! / reported).toBeGreaterThan(0.5);
  expect(detected! / reported).toBeLessThan(2);
}

describe('detectors on curves recorded on the development machine', () => {
  it('the page-by-page curve gives L1 and L2 within 2× of sysfs, and one L3 in the tens of MiB', () => {
    const { levels, beyond } = detectLevels(recorded.pageLocal);
    expect(levels).toHaveLength(3);
    const [l1, l2, l3] = levels.map((l) => l.bytes);
    expectWithin2x(l1, 48 * KiB);
    expectWithin2x(l2, 2 * MiB);
    expect(l3).toBeGreaterThan(8 * MiB);
    expect(l3).toBeLessThan(64 * MiB);
    expect(beyond.ns).toBeGreaterThan(50);
  });

  it('the random chains in JS and wasm agree with it on L1 and L2', () => {
    for (const curve of [recorded.randomJs, recorded.randomWasm]) {
      const [l1, l2] = detectLevels(curve).levels.map((l) => l.bytes);
      expectWithin2x(l1, 48 * KiB);
      expectWithin2x(l2, 2 * MiB);
    }
  });

  it('the two-load probe gives the 64-byte line', () => {
    expect(detectLineSize(recorded.pairs)).toBe(64);
  });
});
