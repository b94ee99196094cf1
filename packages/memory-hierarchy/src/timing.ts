import { type Clock, measure, performanceClock } from '@mle/report';

export interface TimingOptions {
  /** Milliseconds one timed run should take: long enough to dwarf the timer, short enough to repeat. */
  targetMs?: number;
  /** Timed runs; the median is reported because this machine is shared and noisy. */
  repeats?: number;
  /** Units in the first calibration run: small when one unit is a pass over hundreds of megabytes. */
  initialUnits?: number;
  /** The millisecond clock; tests inject a fake one. */
  now?: Clock;
}

/**
 * Nanoseconds per unit of work for `run(units)`, which must do `units` units and return a value the caller keeps
 * (so the JIT cannot drop the work). The unit count is calibrated until one run takes about `targetMs`.
 */
export function nsPerUnit(run: (units: number) => number, options: TimingOptions = {}): number {
  const { targetMs = 20, repeats = 5, initialUnits = 1024, now = performanceClock } = options;
  let units = initialUnits;
  let elapsed = timeOnce(run, units, now);
  while (elapsed < targetMs / 8 && units < 2 ** 40) {
    units *= 8;
    elapsed = timeOnce(run, units, now);
  }
  units = Math.max(1, Math.round((units * targetMs) / Math.max(elapsed, 1e-3)));
  const { median } = measure(
    () => {
      _sink ^= run(units);
    },
    { warmup: 0, runs: repeats, now },
  );
  return (median / units) * 1e6;
}

/**
 * Every timed run's result is folded into this module variable, so the loads that produced it cannot be dropped
 * as dead code (nothing reads it; the underscore tells the linter that is on purpose).
 */
let _sink = 0;

function timeOnce(run: (units: number) => number, units: number, now: Clock): number {
  const start = now();
  _sink ^= run(units);
  return now() - start;
}
