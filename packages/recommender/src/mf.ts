import { mulberry32 } from '@mle/datasets';
import type { InteractionLog } from './data.js';
import type { Recommender } from './models.js';

export interface MatrixFactorizationOptions {
  factors?: number;
  epochs?: number;
  learningRate?: number;
  /** L2 penalty on the factors and biases. Default 0.05. */
  regularization?: number;
  seed?: number;
  /** Train with the biases alone (no factors): the baseline the factors must beat. */
  biasesOnly?: boolean;
}

/**
 * Matrix factorisation for explicit ratings, trained by stochastic gradient descent (Funk 2006; Koren, Bell &
 * Volinsky 2009): r̂ᵤᵢ = μ + bᵤ + bᵢ + pᵤ·qᵢ, minimising Σ (rᵤᵢ − r̂ᵤᵢ)² + λ(bᵤ² + bᵢ² + |pᵤ|² + |qᵢ|²) over the
 * observed ratings, visiting them in a seeded random order each epoch. A repeated (user, item) counts each time.
 */
export class MatrixFactorization implements Recommender {
  readonly name: string;
  readonly mean: number;
  readonly userBias: Float64Array;
  readonly itemBias: Float64Array;
  readonly userFactors: Float64Array;
  readonly itemFactors: Float64Array;
  readonly factors: number;
  /** Training RMSE after each epoch. */
  readonly trainRmse: number[] = [];

  constructor(train: InteractionLog, options: MatrixFactorizationOptions = {}) {
    const { epochs = 20, learningRate = 0.01, regularization = 0.05, seed = 1, biasesOnly = false } = options;
    const factors = biasesOnly ? 0 : (options.factors ?? 32);
    if (!train.rating)
      throw new RangeError('MatrixFactorization: the log has no ratings (explicit feedback needed)');
    if (!Number.isInteger(factors) || factors < 0)
      throw new RangeError(`MatrixFactorization: factors must be a whole number ≥ 0, got ${factors}`);
    this.name = biasesOnly ? 'biases only' : 'MF (SGD)';
    this.factors = factors;
    const ratings = train.rating;
    const n = ratings.length;
    this.mean = ratings.reduce((s, r) => s + r, 0) / n;
    const random = mulberry32(seed);
    const init = (count: number) =>
      Float64Array.from({ length: count * factors }, () => (random() - 0.5) * 0.1);
    this.userBias = new Float64Array(train.users);
    this.itemBias = new Float64Array(train.items);
    this.userFactors = init(train.users);
    this.itemFactors = init(train.items);
    const order = Uint32Array.from({ length: n }, (_, e) => e);
    const f = factors;
    const P = this.userFactors;
    const Q = this.itemFactors;
    const bu = this.userBias;
    const bi = this.itemBias;
    const mean = this.mean;
    const users = train.user;
    const items = train.item;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let e = n - 1; e > 0; e--) {
        const j = Math.floor(random() * (e + 1));
        const t = order[e]!;
        order[e] = order[j]!;
        order[j] = t;
      }
      let squared = 0;
      for (let p = 0; p < n; p++) {
        const e = order[p]!;
        const u = users[e]!;
        const i = items[e]!;
        const pu = u * f;
        const qi = i * f;
        let dot = 0;
        for (let k = 0; k < f; k++) dot += P[pu + k]! * Q[qi + k]!;
        const err = ratings[e]! - (mean + bu[u]! + bi[i]! + dot);
        squared += err * err;
        bu[u]! += learningRate * (err - regularization * bu[u]!);
        bi[i]! += learningRate * (err - regularization * bi[i]!);
        for (let k = 0; k < f; k++) {
          const a = P[pu + k]!;
          const b = Q[qi + k]!;
          P[pu + k] = a + learningRate * (err * b - regularization * a);
          Q[qi + k] = b + learningRate * (err * a - regularization * b);
        }
      }
      this.trainRmse.push(Math.sqrt(squared / n));
    }
  }

  /** The predicted rating of one (user, item). */
  predict(user: number, item: number): number {
    const f = this.factors;
    let dot = 0;
    for (let k = 0; k < f; k++) dot += this.userFactors[user * f + k]! * this.itemFactors[item * f + k]!;
    return this.mean + this.userBias[user]! + this.itemBias[item]! + dot;
  }

  /** Predicted ratings for every item: as a recommender, the items a user would rate highest. */
  scores(user: number): Float64Array {
    return Float64Array.from({ length: this.itemBias.length }, (_, i) => this.predict(user, i));
  }
}

/** Root mean squared error of predictions on (user, item, rating) triples. */
export function rmse(
  predict: (user: number, item: number) => number,
  users: ArrayLike<number>,
  items: ArrayLike<number>,
  ratings: ArrayLike<number>,
): number {
  let s = 0;
  for (let e = 0; e < ratings.length; e++) s += (ratings[e]! - predict(users[e]!, items[e]!)) ** 2;
  return Math.sqrt(s / ratings.length);
}
