import { Arima, type ArimaOrder } from './arima.js';
import { ndiffs } from './diagnostics.js';
import { difference, ForecastInputError } from './series.js';

export interface AutoArimaOptions {
  /** Seasonal period (0 or omitted: non-seasonal). */
  s?: number;
  /** Differences at lag 1; by default the fewest that make the series level-stationary by KPSS at 5% (at most 2). */
  d?: number;
  /** Seasonal differences; default 1 with a season, 0 without (no seasonal unit-root test here). */
  D?: number;
  maxP?: number;
  maxQ?: number;
  maxSeasonalP?: number;
  maxSeasonalQ?: number;
  /** Largest p + q + P + Q. Default 5. */
  maxOrder?: number;
  onFit?: (step: AutoArimaStep) => void;
}

export interface AutoArimaStep {
  order: Required<ArimaOrder>;
  /** AICc, or NaN where the fit failed. */
  aicc: number;
  ms: number;
  error?: string;
}

const text = (o: Required<ArimaOrder>) =>
  `ARIMA(${o.p},${o.d},${o.q})${o.s ? `(${o.P},${o.D},${o.Q})${o.s}` : ''}${o.trend === 'c' ? ' with constant' : ''}`;

/** "ARIMA(1,1,1)(0,1,1)12 with constant". */
export const orderText = text;

/**
 * The stepwise order search of Hyndman & Khandakar (2008), as auto.arima and pmdarima run it: fix d (by KPSS) and D,
 * fit four starting models — (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0), (0,d,1)(0,D,1), with a constant when
 * d + D ≤ 1 — then repeatedly fit the neighbours of the best so far (p, q, P or Q ± 1; p and q together ± 1; P and
 * Q together ± 1; the constant switched) and move to the best of them while AICc falls. Every fit is kept in the
 * trace, in the order tried.
 */
export function autoArima(
  y: ArrayLike<number>,
  options: AutoArimaOptions = {},
): { model: Arima; trace: AutoArimaStep[] } {
  const { s = 0, maxP = 5, maxQ = 5, maxSeasonalP = 2, maxSeasonalQ = 2, maxOrder = 5 } = options;
  if (!(s === 0 || (Number.isInteger(s) && s >= 2)))
    throw new ForecastInputError(
      `autoArima: the seasonal period must be 0 (none) or a whole number ≥ 2, got ${s}`,
    );
  const D = options.D ?? (s ? 1 : 0);
  const d = options.d ?? ndiffs(s && D ? difference(y, 0, D, s) : y);
  const constant = d + D <= 1;
  const trace: AutoArimaStep[] = [];
  const fitted = new Map<string, { model?: Arima; aicc: number }>();
  // (make() zeroes the seasonal orders without a season, and a constant is only ever switched on where allowed.)
  const valid = (o: Required<ArimaOrder>) =>
    o.p >= 0 &&
    o.q >= 0 &&
    o.P >= 0 &&
    o.Q >= 0 &&
    o.p <= maxP &&
    o.q <= maxQ &&
    o.P <= maxSeasonalP &&
    o.Q <= maxSeasonalQ &&
    o.p + o.q + o.P + o.Q <= maxOrder;
  const tryFit = (o: Required<ArimaOrder>): number => {
    const key = text(o);
    const known = fitted.get(key);
    if (known) return known.aicc;
    const start = performance.now();
    let step: AutoArimaStep;
    try {
      const model = new Arima(o).fit(y);
      const aicc = model.optimizer?.converged ? model.aicc : Number.NaN;
      fitted.set(key, { model, aicc });
      step = {
        order: o,
        aicc,
        ms: performance.now() - start,
        error: model.optimizer?.converged ? undefined : 'did not converge',
      };
    } catch (error) {
      fitted.set(key, { aicc: Number.NaN });
      step = { order: o, aicc: Number.NaN, ms: performance.now() - start, error: (error as Error).message };
    }
    trace.push(step);
    options.onFit?.(step);
    return step.aicc;
  };
  const make = (p: number, q: number, P: number, Q: number, trend: 'n' | 'c'): Required<ArimaOrder> => ({
    p,
    d,
    q,
    P: s ? P : 0,
    D: s ? D : 0,
    Q: s ? Q : 0,
    s,
    trend,
  });
  const trend0 = constant ? 'c' : 'n';
  let best: Required<ArimaOrder> | undefined;
  let bestAicc = Number.POSITIVE_INFINITY;
  const consider = (o: Required<ArimaOrder>) => {
    if (!valid(o)) return false;
    const aicc = tryFit(o);
    if (aicc < bestAicc) {
      best = o;
      bestAicc = aicc;
      return true;
    }
    return false;
  };
  for (const [p, q, P, Q] of [
    [2, 2, 1, 1],
    [0, 0, 0, 0],
    [1, 0, 1, 0],
    [0, 1, 0, 1],
  ] as const)
    consider(make(p, q, P, Q, trend0));
  if (!best) throw new ForecastInputError('autoArima: none of the starting models could be fitted');
  for (let round = 0; round < 100; round++) {
    const b: Required<ArimaOrder> = best;
    const neighbours: Required<ArimaOrder>[] = [];
    for (const [dp, dq, dP, dQ] of [
      [1, 0, 0, 0],
      [-1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, -1, 0, 0],
      [1, 1, 0, 0],
      [-1, -1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, -1, 0],
      [0, 0, 0, 1],
      [0, 0, 0, -1],
      [0, 0, 1, 1],
      [0, 0, -1, -1],
    ])
      neighbours.push(make(b.p + dp!, b.q + dq!, b.P + dP!, b.Q + dQ!, b.trend));
    if (constant) neighbours.push(make(b.p, b.q, b.P, b.Q, b.trend === 'c' ? 'n' : 'c'));
    const before = bestAicc;
    for (const o of neighbours) consider(o);
    if (!(bestAicc < before)) break;
  }
  return { model: fitted.get(text(best))!.model!, trace };
}
