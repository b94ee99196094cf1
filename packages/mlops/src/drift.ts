/**
 * Drift statistics between a reference sample (training data) and a recent one (traffic): the population stability
 * index and the two-sample Kolmogorov–Smirnov test.
 */

export interface PsiBin {
  lower: number;
  upper: number;
  expected: number;
  actual: number;
  contribution: number;
}

/**
 * The population stability index: the reference's quantiles cut `bins` bins (so each holds ~1/bins of it); with e
 * and a the two samples' shares of a bin (floored at `floor`, so an empty bin does not make it infinite),
 * PSI = Σ (a − e) · ln(a / e). Rule of thumb: below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a large one.
 */
export function psi(
  reference: ArrayLike<number>,
  recent: ArrayLike<number>,
  options: { bins?: number; floor?: number } = {},
): { value: number; bins: PsiBin[] } {
  const { bins = 10, floor = 1e-4 } = options;
  check('psi', reference, recent);
  const sorted = Float64Array.from(reference).sort();
  // Inner edges at the reference's quantiles, duplicates dropped (a feature with many equal values has fewer bins).
  const edges = [
    ...new Set(
      Array.from({ length: bins - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / bins)]!),
    ),
  ];
  const binOf = (v: number) => {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v < edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const count = (xs: ArrayLike<number>) => {
    const c = new Array(edges.length + 1).fill(0);
    for (let i = 0; i < xs.length; i++) c[binOf(xs[i]!)]++;
    return c.map((k) => Math.max(k / xs.length, floor));
  };
  const e = count(reference);
  const a = count(recent);
  const out: PsiBin[] = e.map((expected, i) => ({
    lower: i === 0 ? Number.NEGATIVE_INFINITY : edges[i - 1]!,
    upper: i === edges.length ? Number.POSITIVE_INFINITY : edges[i]!,
    expected,
    actual: a[i]!,
    contribution: (a[i]! - expected) * Math.log(a[i]! / expected),
  }));
  return { value: out.reduce((s, b) => s + b.contribution, 0), bins: out };
}

/**
 * The Kolmogorov distribution's survival function, P(K > x) for K = sup |Brownian bridge| (SciPy's kstwobign.sf):
 * 2 Σ (−1)^(k−1) e^(−2k²x²) for larger x, and 1 − √(2π)/x Σ e^(−(2k−1)²π²/(8x²)) for small x, where each converges fast.
 */
export function kolmogorovSurvival(x: number): number {
  if (!(x > 0)) return 1;
  if (x < 1) {
    let sum = 0;
    for (let k = 1; k <= 20; k++) sum += Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * x * x));
    return 1 - (Math.sqrt(2 * Math.PI) / x) * sum;
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * The two-sample Kolmogorov–Smirnov test: D = sup |F_a − F_b| over every value either sample takes (ties handled by
 * stepping past all equal values before comparing), and the asymptotic p-value P(K > √(nm/(n+m)) · D).
 */
export function ksTwoSample(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { statistic: number; pValue: number } {
  check('ksTwoSample', a, b);
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  const en = (x.length * y.length) / (x.length + y.length);
  return { statistic: d, pValue: kolmogorovSurvival(Math.sqrt(en) * d) };
}

function check(what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  for (const [name, xs] of [
    ['the reference sample', a],
    ['the recent sample', b],
  ] as const) {
    if (xs.length === 0) throw new RangeError(`${what}: ${name} is empty`);
    for (let i = 0; i < xs.length; i++)
      if (!Number.isFinite(xs[i]!)) throw new RangeError(`${what}: ${name} has ${xs[i]} at index ${i}`);
  }
}

/** Shares of a histogram's counts, each floored at `floor` (so an empty bin does not make PSI infinite). */
const shares = (counts: ArrayLike<number>, floor: number) => {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  return Array.from(counts, (c) => Math.max(c / total, floor));
};

/**
 * PSI between two histograms over the same bins (a server's traffic counts against the training data's):
 * Σ (a − e) · ln(a / e) over the bins' shares, each floored at `floor`.
 */
export function psiFromCounts(reference: ArrayLike<number>, recent: ArrayLike<number>, floor = 1e-4): number {
  checkCounts('psiFromCounts', reference, recent);
  const e = shares(reference, floor);
  const a = shares(recent, floor);
  return e.reduce((s, ei, i) => s + (a[i]! - ei) * Math.log(a[i]! / ei), 0);
}

/**
 * The two-sample KS test on two histograms over the same bins: D = max |F_ref − F_recent| at the bins' upper edges,
 * and the asymptotic p-value with n and m the two counts. With a bin per distinct value this is exactly
 * `ksTwoSample`; with coarser bins D can only be smaller (the supremum is taken over fewer points), so the test is
 * conservative.
 */
export function ksFromCounts(
  reference: ArrayLike<number>,
  recent: ArrayLike<number>,
): { statistic: number; pValue: number } {
  checkCounts('ksFromCounts', reference, recent);
  const n = Array.from(reference).reduce((s, c) => s + c, 0);
  const m = Array.from(recent).reduce((s, c) => s + c, 0);
  let fa = 0;
  let fb = 0;
  let d = 0;
  for (let i = 0; i < reference.length; i++) {
    fa += reference[i]! / n;
    fb += recent[i]! / m;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return { statistic: d, pValue: kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * d) };
}

function checkCounts(what: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    throw new RangeError(
      `${what}: the histograms have ${a.length} and ${b.length} bins; they must share bins`,
    );
  for (const [name, xs] of [
    ['the reference', a],
    ['the recent', b],
  ] as const) {
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      if (!(xs[i]! >= 0)) throw new RangeError(`${what}: ${name} histogram has count ${xs[i]} in bin ${i}`);
      total += xs[i]!;
    }
    if (total === 0) throw new RangeError(`${what}: ${name} histogram is empty`);
  }
}
