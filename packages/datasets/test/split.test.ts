import { describe, expect, it } from 'vitest';
import {
  loadBostonHousing,
  loadIris,
  loadPenguins,
  seededPermutation,
  trainTestSplit,
} from '../src/index.js';

describe('seededPermutation', () => {
  it('is a permutation, fixed by its seed', () => {
    const p = seededPermutation(1000, 3);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(seededPermutation(1000, 3)).toEqual(p);
    expect(seededPermutation(1000, 4)).not.toEqual(p);
  });
});

describe('trainTestSplit', () => {
  it('stratifies classification data: each iris species keeps its 1/3 share on both sides', () => {
    const { train, test } = trainTestSplit(loadIris(), { seed: 1, testFraction: 0.2 });
    expect([train.features.length, test.features.length]).toEqual([120, 30]);
    for (let c = 0; c < 3; c++) {
      expect(test.labels.filter((l) => l === c).length).toBe(10);
      expect(train.labels.filter((l) => l === c).length).toBe(40);
    }
  });

  it('keeps rows whole: every train and test row is a row of the original, each used once', () => {
    const penguins = loadPenguins();
    const { train, test } = trainTestSplit(penguins, { seed: 5, testFraction: 0.25 });
    const key = (features: readonly number[], label: number, island: string | null | undefined) =>
      `${features.join(',')}|${label}|${island}`;
    const original = penguins.features.map((f, i) =>
      key(f, penguins.labels[i]!, penguins.categories.island[i]),
    );
    const rejoined = [train, test].flatMap((d) =>
      d.features.map((f, i) => key(f, d.labels[i]!, d.categories?.island?.[i])),
    );
    expect(rejoined.sort()).toEqual(original.sort());
  });

  it('splits regression data without stratifying, identically for the same seed', () => {
    const boston = loadBostonHousing();
    const a = trainTestSplit(boston, { seed: 9 });
    expect(a.test.target.length).toBe(101);
    expect(trainTestSplit(boston, { seed: 9 }).test.target).toEqual(a.test.target);
    expect(() => trainTestSplit(boston, { stratify: true })).toThrow(
      /cannot stratify boston: it has no class labels/,
    );
    expect(() => trainTestSplit(boston, { testFraction: 1 })).toThrow(
      /testFraction must be in \(0, 1\), got 1/,
    );
  });
});
