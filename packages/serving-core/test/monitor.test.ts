import { describe, expect, it } from 'vitest';
import { type NamedTensor, TrafficMonitor } from '../src/index.js';

const tensor = (name: string, rows: number[][]): NamedTensor => ({
  name,
  datatype: 'FP32',
  shape: [rows.length, rows[0]!.length],
  data: Float32Array.from(rows.flat()),
});

const monitor = (windowRows: number, segments: number) =>
  new TrafficMonitor({
    windowRows,
    segments,
    bins: { min: 0, max: 1, count: 4 },
    inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
    outputs: [{ name: 'p', datatype: 'FP32', shape: [-1, 3] }],
    labels: ['a', 'b', 'c'],
  });

describe('TrafficMonitor', () => {
  it('counts each feature into equal-width bins, clips out-of-range values into the edge bins, and counts the argmax per label', () => {
    const m = monitor(100, 2);
    m.record(
      [
        tensor('x', [
          [0, 0.3],
          [0.99, 1],
          [-2, 5],
          [Number.NaN, 0.5],
        ]),
      ],
      [
        tensor('p', [
          [0.1, 0.8, 0.1],
          [0.7, 0.2, 0.1],
          [0.1, 0.1, 0.8],
          [0.2, 0.5, 0.3],
        ]),
      ],
    );
    const { total, window } = m.snapshot();
    expect(total).toEqual(window);
    expect(total.rows).toBe(4);
    const x = total.inputs[0]!;
    // feature 0: 0 → bin 0, 0.99 → bin 3, -2 → clipped to bin 0, NaN skipped
    expect(x.counts.slice(0, 4)).toEqual([2, 0, 0, 1]);
    // feature 1: 0.3 → bin 1, 1 (= max) → bin 3, 5 → clipped to bin 3, 0.5 → bin 2
    expect(x.counts.slice(4, 8)).toEqual([0, 1, 1, 2]);
    expect(x.clipped).toBe(2);
    expect(x.nonFinite).toBe(1);
    expect(total.predictions).toEqual([1, 2, 1]);
    // the top probabilities 0.8, 0.7, 0.8, 0.5 binned: [0.5, 0.75) and [0.75, 1]
    expect(total.confidence).toEqual([0, 0, 2, 2]);
    expect(total.outputs[0]!.counts.reduce((a, b) => a + b)).toBe(12);
  });

  it('keeps a sliding window of whole segments while the total counts every row', () => {
    const m = monitor(4, 2); // segments of 2 rows
    const row = (v: number) => [tensor('x', [[v, v]])];
    const out = [tensor('p', [[1, 0, 0]])];
    for (const v of [0.1, 0.1, 0.1, 0.9, 0.9, 0.9]) m.record(row(v), out);
    const { window, total } = m.snapshot();
    expect(total.rows).toBe(6);
    // segments [0.1 0.1] [0.1 0.9] [0.9 0.9]: the first was dropped when the third began
    expect(window.rows).toBe(4);
    expect(window.inputs[0]!.counts.slice(0, 4)).toEqual([1, 0, 0, 3]);
    expect(total.inputs[0]!.counts.slice(0, 4)).toEqual([3, 0, 0, 3]);
  });

  it('skips INT64 and absent tensors, and counts no predictions without labels', () => {
    const m = new TrafficMonitor({
      windowRows: 10,
      segments: 1,
      bins: { min: 0, max: 1, count: 2 },
      inputs: [
        { name: 'ids', datatype: 'INT64', shape: [-1, 2] },
        { name: 'x', datatype: 'FP32', shape: [-1, 1] },
      ],
      outputs: [{ name: 'y', datatype: 'INT32', shape: [-1, 1] }],
    });
    m.record(
      [{ name: 'ids', datatype: 'INT64', shape: [1, 2], data: BigInt64Array.from([1n, 2n]) }],
      [{ name: 'y', datatype: 'INT32', shape: [1, 1], data: Int32Array.from([1]) }],
    );
    const { total } = m.snapshot();
    expect(total.rows).toBe(1);
    expect(total.inputs.map((t) => t.counts)).toEqual([
      [0, 0, 0, 0],
      [0, 0],
    ]);
    expect(total.outputs[0]!.counts).toEqual([0, 1]);
    expect(total.predictions).toBeUndefined();
    expect(total.confidence).toBeUndefined();
    expect(m.snapshot().labels).toBeUndefined();
  });

  it('refuses settings it cannot honour, naming them', () => {
    expect(() => monitor(1, 2)).toThrow(/window_rows must be an integer ≥ segments, got 1/);
    expect(() => monitor(4, 0)).toThrow(/segments must be a positive integer, got 0/);
    expect(
      () =>
        new TrafficMonitor({
          windowRows: 10,
          segments: 1,
          bins: { min: 1, max: 1, count: 4 },
          inputs: [],
          outputs: [],
        }),
    ).toThrow(/bins need count ≥ 2 and max > min/);
  });
});
