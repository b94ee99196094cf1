import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectHierarchy, detectLevels } from '../src/knees.js';
import type { LatencyPoint } from '../src/latency.js';
import { detectLineSize, type PairPoint } from '../src/line-size.js';

/**
 * Curves the demo recorded on two machines of the same kind that disagree in the way that matters here: on the
 * Intel Xeon guest a page-by-page L2 hit is 3× an L1 hit, on the AMD EPYC guest only 1.5× (see each file's
 * description). The reference is what each machine's sysfs reported, kept beside its curves.
 */
interface Recorded {
  description: string;
  system: { l1dBytes: number; l2Bytes: number; l3Bytes: number; lineBytes: number };
  pageLocal: LatencyPoint[];
  randomJs: LatencyPoint[];
  randomWasm: LatencyPoint[];
  pairs: PairPoint[];
}

const load = (name: string): Recorded =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const machines = { 'Intel Xeon guest': load('xeon-curves.json'), 'AMD EPYC guest': load('epyc-curves.json') };

/** The target: a detected size within 2× of the one sysfs reports, either way. */
const within2x = (detected: number | undefined, reported: number) =>
  detected !== undefined && detected / reported > 0.5 && detected / reported < 2;

describe.each(Object.entries(machines))('detectors on curves recorded on the %s', (_, recorded) => {
  const { system } = recorded;

  it('detectHierarchy finds L1 and L2 within 2× of sysfs from the JS chains, and again from the wasm random chain', () => {
    for (const random of [recorded.randomJs, recorded.randomWasm]) {
      const { levels, beyond } = detectHierarchy({ pageLocal: recorded.pageLocal, random });
      expect(levels.length).toBeGreaterThanOrEqual(2);
      const [l1, l2] = levels.map((l) => l.bytes);
      expect(within2x(l1, system.l1dBytes), `L1 ${l1} vs ${system.l1dBytes}`).toBe(true);
      expect(within2x(l2, system.l2Bytes), `L2 ${l2} vs ${system.l2Bytes}`).toBe(true);
      // Past the last level, loads are slower than in any level (what that level is, the curves cannot say).
      expect(beyond.ns).toBeGreaterThan(levels.at(-1)!.ns);
    }
  });
});

it('on the Xeon guest, the two-load probe gives the line size sysfs reports', () => {
  const xeon = machines['Intel Xeon guest'];
  expect(detectLineSize(xeon.pairs)).toBe(xeon.system.lineBytes);
});

describe('why the package reads two chains and has two line probes', () => {
  const epyc = machines['AMD EPYC guest'];
  it('on the EPYC guest, the page-by-page chain alone merges L1 into L2 and misses both by more than 2×', () => {
    const [l1, l2] = detectLevels(epyc.pageLocal).levels.map((l) => l.bytes);
    expect(within2x(l1, epyc.system.l1dBytes)).toBe(false);
    expect(within2x(l2, epyc.system.l2Bytes)).toBe(false);
  });

  it('on the EPYC guest, the random chain alone puts L2 where its TLB steps are, under half the reported size', () => {
    for (const random of [epyc.randomJs, epyc.randomWasm]) {
      const l2 = detectLevels(random).levels[1]?.bytes;
      expect(within2x(l2, epyc.system.l2Bytes), `L2 ${l2}`).toBe(false);
    }
  });

  it('on the EPYC guest, the two-load probe cannot see the line: a second load past it costs no more than within it', () => {
    const costs = epyc.pairs.map((p) => p.nsPerBlock);
    const inside = epyc.pairs.filter((p) => p.offsetBytes < epyc.system.lineBytes).map((p) => p.nsPerBlock);
    const atLine = epyc.pairs.find((p) => p.offsetBytes === epyc.system.lineBytes)!.nsPerBlock;
    expect(atLine).toBeLessThan(Math.max(...inside));
    expect(Math.max(...costs) / Math.min(...costs)).toBeLessThan(1.25);
  });
});
