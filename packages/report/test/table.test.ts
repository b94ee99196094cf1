import { describe, expect, it, vi } from 'vitest';
import {
  benchFlags,
  benchLog,
  demoFlags,
  formatNumber,
  formatTable,
  machineInfo,
  machineLine,
  markdownTable,
  measure,
  measureAdaptive,
  median,
  percentile,
  printBenchReport,
  resultValue,
  sentence,
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

  it('percentile by nearest rank: p50 and p99 of 1…100, the ends, and bad input named', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(51);
    expect(percentile(values, 99)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(100);
    expect(() => percentile([], 50)).toThrow('percentile of no values');
    expect(() => percentile([1], 101)).toThrow('p must be in 0…100, got 101');
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
    printBenchReport(report, benchFlags(['--', '--json']));
    printBenchReport(report, benchFlags([]));
    const [json, table] = write.mock.calls.map((call) => String(call[0]));
    write.mockRestore();
    // The report gains the machine it was measured on, in the JSON and in the table's header.
    expect(JSON.parse(json!)).toEqual({ ...report, machine: machineInfo() });
    expect(table).toContain(`machine: ${machineLine()}`);
    expect(table).toContain('│ n=1  │ a    │ time   │   1.5 │ ms   │');
  });

  it('turns a terminal line into a README sentence', () => {
    expect(sentence('target: 2× → 2.3× met')).toBe('Target: 2× → 2.3× met.');
    expect(sentence('')).toBe('');
  });

  it('reads one row of a report by case, impl and metric, and names a missing one', () => {
    const rows = [
      { case: 'n=1', impl: 'a', metric: 'time', value: 1.5, unit: 'ms' },
      { case: 'n=1', impl: 'a', metric: 'ratio', value: 2, unit: 'x' },
    ];
    expect(resultValue(rows, 'n=1', 'a', 'ratio')).toBe(2);
    expect(() => resultValue(rows, 'n=2', 'a', 'time')).toThrow('bench: no "time" row for a at n=2');
  });

  it('a bench’s progress goes to stderr, and nowhere with --json', () => {
    const lines: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line) => lines.push(line));
    benchLog({ json: false })('building');
    benchLog({ json: true })('silent');
    spy.mockRestore();
    expect(lines).toEqual(['building']);
  });

  it('parses bench flags one way: the `--` pnpm passes through is dropped, anything unknown is refused', () => {
    expect(benchFlags([])).toEqual({ json: false, quick: false });
    expect(benchFlags(['--', '--json'])).toEqual({ json: true, quick: false });
    expect(benchFlags(['--quick', '--', '--json'])).toEqual({ json: true, quick: true });
    expect(() => benchFlags(['--', '--jsno'])).toThrow(
      'bench: unknown argument "--jsno" (a bench takes --json and --quick)',
    );
    expect(demoFlags(['--', '--quick'])).toEqual({ quick: true });
    expect(() => demoFlags(['--json'])).toThrow('demo: unknown argument "--json" (a demo takes --quick)');
  });
});

describe('measureAdaptive', () => {
  it('awaits async work and stops at its budget with at least minRuns samples', async () => {
    // Each call awaits real work and advances a fake clock by 5 ms, so the sample count is exact on any machine.
    let clock = 0;
    let calls = 0;
    const timing = await measureAdaptive(
      async () => {
        calls++;
        await new Promise((resolve) => setImmediate(resolve));
        clock += 5;
      },
      { budgetMs: 30, minRuns: 3, maxRuns: 100, now: () => clock },
    );
    expect(timing.samples).toEqual([5, 5, 5, 5, 5, 5]); // 30 ms of budget at 5 ms a run
    expect(timing.median).toBe(5);
    expect(calls).toBe(7); // one untimed warm-up (a 5 ms run is not under budget / 10, so only one)
  });

  it('samples at least minRuns even past the budget, and at most maxRuns', async () => {
    let clock = 0;
    const slow = await measureAdaptive(
      () => {
        clock += 100;
      },
      { budgetMs: 30, minRuns: 4, now: () => clock },
    );
    expect(slow.samples).toHaveLength(4);
    const fast = await measureAdaptive(
      () => {
        clock += 0.001;
      },
      { budgetMs: 1e9, maxRuns: 9, now: () => clock },
    );
    expect(fast.samples).toHaveLength(9);
  });
});
