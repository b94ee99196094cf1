import { Rng } from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  cycleLength,
  LINE_BYTES,
  PAGE_BYTES,
  pageLocalChain,
  pagePerLineChain,
  pairChain,
  randomLineChain,
  sattoloCycle,
} from '../src/chains.js';

/** The slots a chase visits from `start` until it returns there (throws if it does not within `limit`). */
function visits(next: Uint32Array, start: number, limit: number): number[] {
  const seen: number[] = [];
  let i = start;
  do {
    seen.push(i);
    i = next[i]!;
    if (seen.length > limit) throw new Error('chain does not return to its start');
  } while (i !== start);
  return seen;
}

describe('sattoloCycle', () => {
  it('is one cycle through every slot, for every size and seed tried', () => {
    for (let n = 1; n <= 300; n++) {
      const perm = sattoloCycle(n, new Rng(n));
      expect(cycleLength(perm)).toBe(n);
      expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('draws each of the (n-1)! cyclic permutations equally often (χ² for n = 4)', () => {
    const rng = new Rng(7);
    const counts = new Map<string, number>();
    const draws = 60_000;
    for (let d = 0; d < draws; d++) {
      const key = sattoloCycle(4, rng).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const expected = draws / 6;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(20.5); // χ²(5) at p = 0.001
  });

  it('the check can fail: a Fisher–Yates permutation usually has several cycles', () => {
    const perm = new Uint32Array(new Rng(3).permutation(1000).data as Int32Array);
    expect(cycleLength(perm)).toBeLessThan(1000);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => sattoloCycle(0, new Rng(1))).toThrow('n must be an integer in [1, 2^32], got 0');
    expect(() => sattoloCycle(2.5, new Rng(1))).toThrow('got 2.5');
  });

  it('cycleLength names an entry outside the permutation', () => {
    expect(() => cycleLength(Uint32Array.of(1, 5))).toThrow('perm[1] = 5 is outside [0, 2)');
  });
});

describe('chains', () => {
  it('randomLineChain visits every cache line once, one slot at the start of each', () => {
    const chain = randomLineChain(64 * 1024, 5);
    const seen = visits(chain.next, chain.start, chain.length);
    expect(seen).toHaveLength(1024);
    expect(new Set(seen).size).toBe(1024);
    for (const slot of seen) expect((slot * 4) % LINE_BYTES).toBe(0);
  });

  it('pageLocalChain visits every line once, finishing each page before the next', () => {
    const chain = pageLocalChain(32 * PAGE_BYTES, 9);
    const seen = visits(chain.next, chain.start, chain.length);
    expect(new Set(seen).size).toBe(32 * 64);
    for (let k = 0; k < seen.length; k += 64) {
      const pages = new Set(seen.slice(k, k + 64).map((slot) => Math.floor((slot * 4) / PAGE_BYTES)));
      expect(pages.size).toBe(1);
    }
  });

  it('pagePerLineChain touches one line in each page, spread over the lines of a page', () => {
    const chain = pagePerLineChain(128, 2);
    const seen = visits(chain.next, chain.start, chain.length);
    const pages = seen.map((slot) => Math.floor((slot * 4) / PAGE_BYTES));
    expect(new Set(pages).size).toBe(128);
    const lineInPage = new Set(seen.map((slot) => ((slot * 4) % PAGE_BYTES) / LINE_BYTES));
    expect(lineInPage.size).toBe(64);
  });

  it('pairChain makes two loads per block, the first 64 bytes in, the second offsetBytes after it', () => {
    const chain = pairChain(64 * 512, 512, 96, 4);
    const seen = visits(chain.next, chain.start, chain.length);
    expect(seen).toHaveLength(128);
    expect(new Set(seen.map((slot) => Math.floor((slot * 4) / 512))).size).toBe(64);
    for (let k = 0; k < seen.length; k += 2) {
      expect((seen[k]! * 4) % 512).toBe(64);
      expect((seen[k + 1]! - seen[k]!) * 4).toBe(96);
    }
  });

  it('the same seed gives the same chain; another seed, another order', () => {
    const a = randomLineChain(16 * 1024, 1).next;
    expect(randomLineChain(16 * 1024, 1).next).toEqual(a);
    expect(randomLineChain(16 * 1024, 2).next).not.toEqual(a);
  });

  it('names a working set that is not a whole number of lines or pages', () => {
    expect(() => randomLineChain(100, 1)).toThrow(
      'bytes must be a positive multiple of 64 up to 4 GiB, got 100',
    );
    expect(() => pageLocalChain(6000, 1)).toThrow('multiple of 4096');
    expect(() => pagePerLineChain(0, 1)).toThrow('pages must be a positive integer, got 0');
    expect(() => pairChain(4096, 512, 448, 1)).toThrow(
      'offsetBytes must be a multiple of 4 in [4, 448), got 448',
    );
  });
});
