import { describe, expect, it, vi } from 'vitest';
import {
  formatNumber,
  formatTable,
  markdownTable,
  measure,
  measureAdaptive,
  median,
  printBenchReport,
} from '../src/index.js';

describe('tables', () => {
  it('boxes a terminal table with numbers right-aligned', () => {
    const text = formatTable(
      ['impl', 'GFLOP/s'],
      [
        ['naive', 1.234567],
        ['simd', 27],
      ],
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('┌───────┬─────────┐');
    expect(lines).toContain('│ naive │   1.235 │');
    expect(lines).toContain('│ simd  │      27 │');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('writes GitHub Markdown with alignment markers', () => {
    expect(markdownTable(['impl', 'GFLOP/s'], [['naive', 1.5]])).toBe(
      '| impl  | GFLOP/s |\n| :---- | ------: |\n| naive |     1.5 |',
    );
  });

  it('formats numbers to 4 significant digits and groups thousands', () => {
    expect([
      formatNumber(0.000123456),
      formatNumber(1234.5),
      formatNumber(1e6),
      formatNumber(Number.NaN),
    ]).toEqual(['0.0001235', '1,235', '1,000,000', 'NaN']);
  });
});

describe('bench helpers', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median of no values');
  });

  it('measure runs warm-up then timed runs', () => {
    let calls = 0;
    const timing = measure(() => calls++, { warmup: 3, runs: 5 });
    expect(calls).toBe(8);
    expect(timing.samples.length).toBe(5);
    expect(timing.median).toBe(median(timing.samples));
    expect(() => measure(() => 0, { runs: 0 })).toThrow('runs must be a positive integer');
  });

  it('prints one JSON object with --json, a table otherwise', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const report = {
      package: '@mle/x',
      results: [{ case: 'n=1', impl: 'a', metric: 'time', value: 1.5, unit: 'ms' }],
    };
    printBenchReport(report, ['--json']);
    printBenchReport(report, []);
    const [json, table] = write.mock.calls.map((call) => String(call[0]));
    write.mockRestore();
    expect(JSON.parse(json!)).toEqual(report);
    expect(table).toContain('│ n=1  │ a    │ time   │   1.5 │ ms   │');
  });
});

describe('measureAdaptive', () => {
  it('awaits async work and stops at its budget with at least minRuns samples', async () => {
    let calls = 0;
    const timing = await measureAdaptive(
      async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
      { budgetMs: 30, minRuns: 3, maxRuns: 100 },
    );
    expect(timing.samples.length).toBeGreaterThanOrEqual(3);
    expect(timing.samples.length).toBeLessThan(20);
    expect(timing.median).toBeGreaterThanOrEqual(4);
    expect(calls - timing.samples.length).toBeGreaterThanOrEqual(1); // at least one untimed warm-up
  });
});
