import { mulberry32 } from '@mle/datasets';
import type { InteractionLog } from './data.js';
import { interactionMatrices, type SparseCounts, userMatrix } from './matrix.js';
import { Popularity, type Recommender } from './models.js';
import { DotScorer } from './scoring.js';

export interface AlsOptions {
  factors?: number;
  /** λ, the L2 penalty on every factor. Default 0.1. */
  regularization?: number;
  /** α: confidence grows as 1 + α·count. Default 10. */
  alpha?: number;
  iterations?: number;
  /** Conjugate-gradient steps per row per half-iteration (warm-started from the row's last value). Default 3. */
  cgSteps?: number;
  seed?: number;
  onIteration?: (iteration: number, loss: number) => void;
}

/** YᵀY of a factor matrix (n × f, row-major). */
function gram(Y: Float64Array, n: number, f: number): Float64Array {
  const G = new Float64Array(f * f);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < f; a++) {
      const ya = Y[i * f + a]!;
      for (let b = a; b < f; b++) G[a * f + b]! += ya * Y[i * f + b]!;
    }
  for (let a = 0; a < f; a++) for (let b = 0; b < a; b++) G[a * f + b] = G[b * f + a]!;
  return G;
}

/**
 * One row's ALS update for implicit feedback (Hu, Koren & Volinsky 2008): x = argmin Σᵢ cᵢ(pᵢ − x·yᵢ)² + λ|x|² over
 * every item (pᵢ = 1 where the row has a count, else 0; cᵢ = 1 + α·count), i.e. the solution of
 * (YᵀY + Yᵀ(C − I)Y + λI) x = YᵀC p, found by `steps` of conjugate gradient from the current x (Takács, Pilászy &
 * Tikk 2011), so the dense f × f system is never formed: only YᵀY, shared by every row, and the row's own items.
 */
export function alsSolveRow(
  YtY: Float64Array,
  Y: Float64Array,
  f: number,
  items: ArrayLike<number>,
  counts: ArrayLike<number>,
  alpha: number,
  lambda: number,
  x: Float64Array,
  steps: number,
): void {
  const apply = (v: Float64Array, out: Float64Array) => {
    for (let a = 0; a < f; a++) {
      let s = lambda * v[a]!;
      for (let b = 0; b < f; b++) s += YtY[a * f + b]! * v[b]!;
      out[a] = s;
    }
    for (let p = 0; p < items.length; p++) {
      const base = items[p]! * f;
      let dot = 0;
      for (let a = 0; a < f; a++) dot += Y[base + a]! * v[a]!;
      const w = alpha * counts[p]! * dot; // (cᵢ − 1)(yᵢ·v)
      for (let a = 0; a < f; a++) out[a]! += w * Y[base + a]!;
    }
  };
  const r = new Float64Array(f);
  const Ap = new Float64Array(f);
  apply(x, Ap);
  for (let a = 0; a < f; a++) r[a] = -Ap[a]!;
  for (let p = 0; p < items.length; p++) {
    const c = 1 + alpha * counts[p]!;
    const base = items[p]! * f;
    for (let a = 0; a < f; a++) r[a]! += c * Y[base + a]!;
  }
  const d = r.slice();
  let rr = 0;
  for (let a = 0; a < f; a++) rr += r[a]! * r[a]!;
  for (let step = 0; step < steps && rr > 1e-20; step++) {
    apply(d, Ap);
    let dAd = 0;
    for (let a = 0; a < f; a++) dAd += d[a]! * Ap[a]!;
    const t = rr / dAd;
    let next = 0;
    for (let a = 0; a < f; a++) {
      x[a]! += t * d[a]!;
      r[a]! -= t * Ap[a]!;
      next += r[a]! * r[a]!;
    }
    for (let a = 0; a < f; a++) d[a] = r[a]! + (next / rr) * d[a]!;
    rr = next;
  }
}

/**
 * Matrix factorisation for implicit feedback by alternating least squares with the conjugate-gradient row solve:
 * users' factors X and items' factors Y minimise Σ_all c_ui (p_ui − xᵤ·yᵢ)² + λ(|X|² + |Y|²), over every
 * user–item pair (the zeros count, with confidence 1), each half-iteration solving one side with the other fixed.
 */
export class ImplicitAls implements Recommender {
  readonly name = 'ALS (implicit)';
  readonly factors: number;
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
  /** The objective after each iteration. */
  readonly losses: number[] = [];
  private byUser: SparseCounts;
  private fallback: Popularity;
  private readonly solve: { alpha: number; regularization: number; cgSteps: number };
  private readonly scorer: DotScorer;

  constructor(train: InteractionLog, options: AlsOptions = {}) {
    const {
      factors = 32,
      regularization = 0.1,
      alpha = 10,
      iterations = 10,
      cgSteps = 3,
      seed = 1,
    } = options;
    if (!Number.isInteger(factors) || factors < 1)
      throw new RangeError(`ImplicitAls: factors must be a whole number ≥ 1, got ${factors}`);
    if (!(regularization >= 0))
      throw new RangeError(`ImplicitAls: regularization must be ≥ 0, got ${regularization}`);
    if (!(alpha >= 0)) throw new RangeError(`ImplicitAls: alpha must be ≥ 0, got ${alpha}`);
    this.factors = factors;
    this.solve = { alpha, regularization, cgSteps };
    const { byUser, byItem } = interactionMatrices(train);
    this.byUser = byUser;
    this.fallback = new Popularity(train);
    const random = mulberry32(seed);
    const init = (n: number) => Float64Array.from({ length: n * factors }, () => (random() - 0.5) * 0.02);
    this.userFactors = init(train.users);
    this.itemFactors = init(train.items);
    const half = (X: Float64Array, Y: Float64Array, m: SparseCounts) => {
      const YtY = gram(Y, m.cols, factors);
      for (let r = 0; r < m.rows; r++) {
        const from = m.offsets[r]!;
        const to = m.offsets[r + 1]!;
        alsSolveRow(
          YtY,
          Y,
          factors,
          m.indices.subarray(from, to),
          m.counts.subarray(from, to),
          alpha,
          regularization,
          X.subarray(r * factors, (r + 1) * factors),
          cgSteps,
        );
      }
    };
    for (let it = 0; it < iterations; it++) {
      half(this.userFactors, this.itemFactors, byUser);
      half(this.itemFactors, this.userFactors, byItem);
      const loss = this.loss(alpha, regularization);
      this.losses.push(loss);
      options.onIteration?.(it, loss);
    }
    this.scorer = new DotScorer(this.itemFactors, train.items, factors);
  }

  /**
   * Serve from the histories in `log` (newer than the training log, say) without retraining: the item factors stay,
   * and each user's factors are re-solved against them from their new history ("folding in"), warm-started from the
   * trained value. `byUser` is the log's user × item matrix, for a caller that has built it already.
   */
  serve(log: InteractionLog, byUser = userMatrix(log)): this {
    const f = this.factors;
    const { alpha, regularization, cgSteps } = this.solve;
    this.byUser = byUser;
    this.fallback = new Popularity(log);
    const YtY = gram(this.itemFactors, this.byUser.cols, f);
    for (let u = 0; u < this.byUser.rows; u++) {
      const from = this.byUser.offsets[u]!;
      const to = this.byUser.offsets[u + 1]!;
      alsSolveRow(
        YtY,
        this.itemFactors,
        f,
        this.byUser.indices.subarray(from, to),
        this.byUser.counts.subarray(from, to),
        alpha,
        regularization,
        this.userFactors.subarray(u * f, (u + 1) * f),
        cgSteps,
      );
    }
    return this;
  }

  /** The objective: Σ_u xᵤᵀ(YᵀY)xᵤ covers every pair as if unobserved; the observed pairs are then corrected. */
  loss(alpha: number, lambda: number): number {
    const f = this.factors;
    const X = this.userFactors;
    const Y = this.itemFactors;
    const YtY = gram(Y, this.byUser.cols, f);
    let total = 0;
    for (let u = 0; u < this.byUser.rows; u++) {
      for (let a = 0; a < f; a++) {
        let s = 0;
        for (let b = 0; b < f; b++) s += YtY[a * f + b]! * X[u * f + b]!;
        total += X[u * f + a]! * s;
      }
      for (let p = this.byUser.offsets[u]!; p < this.byUser.offsets[u + 1]!; p++) {
        const i = this.byUser.indices[p]!;
        let dot = 0;
        for (let a = 0; a < f; a++) dot += X[u * f + a]! * Y[i * f + a]!;
        const c = 1 + alpha * this.byUser.counts[p]!;
        total += c * (1 - dot) ** 2 - dot * dot;
      }
    }
    let norms = 0;
    for (const v of X) norms += v * v;
    for (const v of Y) norms += v * v;
    return total + lambda * norms;
  }

  scores(user: number): Float64Array {
    return this.scoresMany([user])[0]!;
  }

  /** xᵤ · yᵢ for every item, as one matrix product for the batch (float32); the popularity list for a user with no history. */
  scoresMany(users: readonly number[]): Float64Array[] {
    const known = (u: number) =>
      u < this.byUser.rows && this.byUser.offsets[u] !== this.byUser.offsets[u + 1];
    const rows = users.filter(known);
    const scored = rows.length > 0 ? this.scorer.score(this.userFactors, rows) : [];
    let next = 0;
    return users.map((u) => (known(u) ? scored[next++]! : this.fallback.scores()));
  }
}
