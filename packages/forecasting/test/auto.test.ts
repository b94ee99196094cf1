import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autoArima, orderText } from '../src/index.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/statsmodels.json', import.meta.url), 'utf8')) as {
  series: Record<string, { values: number[] }>;
};
const temp = fixture.series.temp!.values;

describe('the stepwise order search', () => {
  const { model, trace } = autoArima(temp, { d: 1 });

  it('starts from the four models of Hyndman & Khandakar and keeps every fit in its trace', () => {
    expect(trace.slice(0, 4).map((t) => orderText(t.order))).toEqual([
      'ARIMA(2,1,2) with constant',
      'ARIMA(0,1,0) with constant',
      'ARIMA(1,1,0) with constant',
      'ARIMA(0,1,1) with constant',
    ]);
    const best = Math.min(...trace.filter((t) => Number.isFinite(t.aicc)).map((t) => t.aicc));
    expect(model.aicc).toBe(best);
    expect(new Set(trace.map((t) => orderText(t.order))).size).toBe(trace.length); // nothing fitted twice
  });

  it('stops at a local minimum: every admissible neighbour of its answer was fitted and is no better', () => {
    const o = model.spec;
    const byName = new Map(trace.map((t) => [orderText(t.order), t.aicc]));
    const around = [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [1, 1],
      [-1, -1],
    ];
    let checked = 0;
    for (const [dp, dq] of around) {
      const p = o.p + dp!;
      const q = o.q + dq!;
      if (p < 0 || q < 0 || p + q > 5) continue;
      const aicc = byName.get(orderText({ ...o, p, q }));
      expect(aicc).toBeDefined();
      expect(aicc!).toBeGreaterThanOrEqual(model.aicc);
      checked++;
    }
    expect(byName.get(orderText({ ...o, trend: o.trend === 'c' ? 'n' : 'c' }))!).toBeGreaterThanOrEqual(
      model.aicc,
    );
    expect(checked).toBeGreaterThan(2);
  });

  it('chooses d by KPSS when not given, and refuses a seasonal period of 1', () => {
    expect(autoArima(temp, { maxOrder: 2 }).model.spec.d).toBe(2);
    expect(() => autoArima(temp, { s: 1 })).toThrow(
      'the seasonal period must be 0 (none) or a whole number ≥ 2, got 1',
    );
  });
});
