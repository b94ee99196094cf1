import { Rng } from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import { falseSharing, falseSharingLineSize } from '../src/false-sharing.js';
import {
  columnMeanAos,
  columnMeanSoa,
  featureTable,
  scoreAos,
  scoreSoa,
  sumColumnMajor,
  sumRowMajor,
} from '../src/layouts.js';

describe('traversal orders compute the same thing', () => {
  it('row-major and column-major sums agree with a float64 reference', () => {
    const n = 64;
    const matrix = new Rng(1).uniform([n, n]).data as Float32Array;
    const reference = matrix.reduce((s, v) => s + v, 0);
    expect(sumRowMajor(matrix, n)).toBeCloseTo(reference, 9);
    expect(sumColumnMajor(matrix, n)).toBeCloseTo(reference, 9);
  });

  it('AoS and SoA hold the same table, and give the same means and scores', () => {
    const table = featureTable(1000, 16, 3);
    expect(table.aos[5 * 16 + 7]).toBe(table.soa[7]![5]);
    const column = table.soa[3]!;
    const mean = column.reduce((s, v) => s + v, 0) / column.length;
    expect(columnMeanAos(table, 3)).toBeCloseTo(mean, 9);
    expect(columnMeanSoa(table, 3)).toBeCloseTo(mean, 9);
    const weights = Float32Array.from({ length: 16 }, (_, f) => f - 7.5);
    const aos = scoreAos(table, weights, new Float32Array(1000));
    const soa = scoreSoa(table, weights, new Float32Array(1000));
    for (let r = 0; r < 1000; r++) {
      let expected = 0;
      for (let f = 0; f < 16; f++) expected += table.soa[f]![r]! * weights[f]!;
      expect(aos[r]).toBeCloseTo(expected, 4);
      expect(soa[r]).toBeCloseTo(expected, 4);
    }
  });
});

describe('bad input', () => {
  it('names a matrix that is not n×n and a table with no rows', () => {
    expect(() => sumRowMajor(new Float32Array(10), 3)).toThrow(
      'expected an n×n matrix, got 10 values for n = 3',
    );
    expect(() => sumColumnMajor(new Float32Array(9), 2)).toThrow('sumColumnMajor: expected an n×n matrix');
    expect(() => featureTable(0, 16)).toThrow('featureTable: rows must be a positive integer, got 0');
  });
});

describe('falseSharing', () => {
  it('both workers count to the end, at any gap', async () => {
    for (const gap of [4, 128]) {
      const result = await falseSharing(gap, 10_000, 1);
      expect(result.gapBytes).toBe(gap);
      expect(result.ms).toBeGreaterThan(0);
    }
  });

  it('names a gap or count it cannot use', async () => {
    await expect(falseSharing(6, 10)).rejects.toThrow('gapBytes must be a multiple of 4 in [4, 4096], got 6');
    await expect(falseSharing(64, 0)).rejects.toThrow('iterations must be a positive integer, got 0');
  });
});

describe('falseSharingLineSize', () => {
  const sweep = (ms: number[]) => ms.map((t, i) => ({ gapBytes: 4 * 2 ** i, iterations: 1, ms: t }));

  it('is the first gap from which on no pair contends', () => {
    // 4 … 256 bytes apart: contended up to 32, free from 64
    expect(falseSharingLineSize(sweep([70, 72, 69, 75, 9.8, 9.5, 9.7]))).toBe(64);
    // 128-byte lines
    expect(falseSharingLineSize(sweep([70, 72, 69, 75, 71, 9.5, 9.7]))).toBe(128);
    // a noisy free gap stays free, and a slow outlier past the line does not move it back
    expect(falseSharingLineSize(sweep([70, 72, 69, 75, 12, 9.5, 9.7]))).toBe(64);
  });

  it('says it cannot tell when nothing contends or everything does', () => {
    expect(falseSharingLineSize(sweep([10, 10.2, 9.8, 10.1, 9.9, 10, 10]))).toBeUndefined();
    expect(falseSharingLineSize(sweep([70, 72, 69, 75, 71, 70, 9.9].slice(0, 6)))).toBeUndefined();
  });

  it('names input it cannot use', () => {
    expect(() => falseSharingLineSize(sweep([1]))).toThrow('need at least 2 gaps, got 1');
    expect(() => falseSharingLineSize(sweep([1, 0]))).toThrow(
      'gap 8 B has time 0, expected a positive number',
    );
    expect(() => falseSharingLineSize([...sweep([2, 1])].reverse())).toThrow('gaps must increase');
  });
});
