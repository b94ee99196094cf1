import { mulberry32 } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { generateInteractions, leaveLastOut, MatrixFactorization, rmse } from '../src/index.js';

describe('matrix factorisation by SGD', () => {
  it('recovers the held-out cells of a rank-2 matrix from 70% of its cells', () => {
    // R = 3 + A·Bᵀ with A (60 × 2) and B (40 × 2): 70% of the cells train, the rest are the test.
    const random = mulberry32(8);
    const A = Array.from({ length: 60 }, () => [random() - 0.5, random() - 0.5]);
    const B = Array.from({ length: 40 }, () => [random() - 0.5, random() - 0.5]);
    const value = (u: number, i: number) => 3 + 2 * (A[u]![0]! * B[i]![0]! + A[u]![1]! * B[i]![1]!);
    const train = { users: [] as number[], items: [] as number[], ratings: [] as number[] };
    const test = { users: [] as number[], items: [] as number[], ratings: [] as number[] };
    for (let u = 0; u < 60; u++)
      for (let i = 0; i < 40; i++) {
        const side = random() < 0.7 ? train : test;
        side.users.push(u);
        side.items.push(i);
        side.ratings.push(value(u, i));
      }
    // Ratings here are real numbers, not stars: the model only reads them.
    const log = {
      users: 60,
      items: 40,
      user: Uint32Array.from(train.users),
      item: Uint32Array.from(train.items),
      time: new Float64Array(train.users.length),
      rating: Float64Array.from(train.ratings) as unknown as Uint8Array,
    };
    const model = new MatrixFactorization(log, {
      factors: 2,
      epochs: 400,
      learningRate: 0.05,
      regularization: 0.001,
    });
    const spread = Math.sqrt(test.ratings.reduce((s, r) => s + (r - 3) ** 2, 0) / test.ratings.length);
    const error = rmse((u, i) => model.predict(u, i), test.users, test.items, test.ratings);
    expect(error).toBeLessThan(0.1 * spread);
    expect(model.trainRmse.at(-1)).toBeLessThan(model.trainRmse[0]!);
  });

  it('on held-out ratings: the factors beat the biases alone, which beat the global mean', () => {
    const split = leaveLastOut(
      generateInteractions({ users: 600, items: 300, interactions: 30_000, seed: 4 }),
    );
    const ratings = split.testRatings!;
    const mean = split.train.rating!.reduce((s, r) => s + r, 0) / split.train.rating!.length;
    const baseline = rmse(() => mean, split.testUsers, split.testItems, ratings);
    const biases = new MatrixFactorization(split.train, { biasesOnly: true });
    const mf = new MatrixFactorization(split.train, { factors: 16, epochs: 30 });
    const biasesError = rmse((u, i) => biases.predict(u, i), split.testUsers, split.testItems, ratings);
    const mfError = rmse((u, i) => mf.predict(u, i), split.testUsers, split.testItems, ratings);
    expect(biasesError).toBeLessThan(baseline);
    expect(mfError).toBeLessThan(biasesError);
  });

  it('refuses a log without ratings', () => {
    const log = {
      users: 1,
      items: 1,
      user: Uint32Array.of(0),
      item: Uint32Array.of(0),
      time: Float64Array.of(0),
    };
    expect(() => new MatrixFactorization(log)).toThrow('the log has no ratings');
  });
});
