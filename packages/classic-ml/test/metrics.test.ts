import { describe, expect, it } from 'vitest';
import {
  accuracy,
  adjustedRandIndex,
  confusionMatrix,
  logLoss,
  Matrix,
  macroF1,
  meanAbsoluteError,
  meanSquaredError,
  precisionRecallF1,
  r2Score,
  rocAuc,
  silhouetteScore,
} from '../src/index.js';

describe('classification metrics, by hand', () => {
  const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
  const predicted = [0, 1, 0, 1, 2, 2, 2, 0, 2, 2];
  // class 0: tp 2, fp 1, fn 1; class 1: tp 1, fp 1, fn 1; class 2: tp 4, fp 1, fn 1.

  it('confusion matrix and accuracy', () => {
    expect(confusionMatrix(truth, predicted)).toEqual({
      labels: [0, 1, 2],
      counts: [
        [2, 1, 0],
        [0, 1, 1],
        [1, 0, 4],
      ],
    });
    expect(accuracy(truth, predicted)).toBe(0.7);
  });

  it('precision, recall and F1: macro, micro (= accuracy), weighted and binary', () => {
    const macro = precisionRecallF1(truth, predicted, { average: 'macro' });
    expect(macro.precision).toBeCloseTo((2 / 3 + 1 / 2 + 4 / 5) / 3, 15);
    expect(macro.recall).toBeCloseTo((2 / 3 + 1 / 2 + 4 / 5) / 3, 15);
    expect(macro.f1).toBeCloseTo((4 / 6 + 2 / 4 + 8 / 10) / 3, 15);
    const micro = precisionRecallF1(truth, predicted, { average: 'micro' });
    expect(micro.f1).toBeCloseTo(0.7, 15);
    const weighted = precisionRecallF1(truth, predicted, { average: 'weighted' });
    expect(weighted.recall).toBeCloseTo(0.7, 15);
    expect(weighted.f1).toBeCloseTo(0.3 * (4 / 6) + 0.2 * (2 / 4) + 0.5 * (8 / 10), 15);
    expect(precisionRecallF1(truth, predicted, { average: 'binary', positive: 2 })).toEqual({
      precision: 0.8,
      recall: 0.8,
      f1: 0.8,
    });
    expect(() => precisionRecallF1(truth, predicted, { average: 'binary' })).toThrow(
      'needs the positive label',
    );
  });

  it('accuracy and macro-F1 of string labels; mismatched lengths are named', () => {
    expect(accuracy(['a', 'b', 'b'], ['a', 'b', 'a'])).toBeCloseTo(2 / 3, 15);
    // class a: tp 1, fp 1, fn 0 → 2/3; class b: tp 1, fp 0, fn 1 → 2/3.
    expect(macroF1(['a', 'b', 'b'], ['a', 'b', 'a'])).toBeCloseTo(2 / 3, 15);
    expect(() => accuracy([1], [])).toThrow('accuracy: 1 labels and 0 predictions (need as many, ≥ 1)');
  });

  it('ROC-AUC counts the pairs a positive outscores a negative, ties half', () => {
    // Positives score 0.8, 0.4, 0.35; negatives 0.1, 0.4, 0.7. Pairs won: 3 + (1 + 0.5 tie) + 1 = 5.5 of 9.
    expect(rocAuc([1, 1, 1, 0, 0, 0], [0.8, 0.4, 0.35, 0.1, 0.4, 0.7])).toBeCloseTo(5.5 / 9, 15);
    expect(rocAuc([0, 1], [0.2, 0.9])).toBe(1);
    expect(() => rocAuc([1, 1], [0.2, 0.9])).toThrow('needs both classes');
    expect(() => rocAuc([1, 2], [0.2, 0.9])).toThrow('expected 1 (positive) or 0 (negative)');
  });

  it('log-loss is the mean negative log-probability of the true class, clipped at 1e-15', () => {
    const p = new Matrix(2, 2, Float64Array.of(0.9, 0.1, 0, 1));
    expect(logLoss([0, 0], p, [0, 1])).toBeCloseTo(-(Math.log(0.9) + Math.log(1e-15)) / 2, 12);
    expect(() => logLoss([5], new Matrix(1, 2, Float64Array.of(0.5, 0.5)), [0, 1])).toThrow(
      'not one of the classes',
    );
  });
});

describe('regression metrics', () => {
  it('MSE, MAE and R² by hand; a constant truth follows scikit-learn', () => {
    const truth = [3, -0.5, 2, 7];
    const predicted = [2.5, 0, 2, 8];
    expect(meanSquaredError(truth, predicted)).toBeCloseTo(0.375, 15);
    expect(meanAbsoluteError(truth, predicted)).toBeCloseTo(0.5, 15);
    // Σ(y − ŷ)² = 1.5; ȳ = 2.875, Σ(y − ȳ)² = 29.1875.
    expect(r2Score(truth, predicted)).toBeCloseTo(1 - 1.5 / 29.1875, 15);
    expect(r2Score([1, 1], [1, 1])).toBe(1);
    expect(r2Score([1, 1], [1, 2])).toBe(0);
  });
});

describe('clustering metrics', () => {
  it('silhouette of two tight, distant pairs by hand', () => {
    // Points 0, 1 and 10, 11 on a line: a = 1 for every point; b, the mean distance to the other pair, is
    // 10.5, 9.5, 9.5, 10.5 → s = 9.5/10.5, 8.5/9.5, 8.5/9.5, 9.5/10.5.
    const s = silhouetteScore([[0], [1], [10], [11]], [0, 0, 1, 1]);
    expect(s).toBeCloseTo((9.5 / 10.5 + 8.5 / 9.5) / 2, 14);
    expect(() => silhouetteScore([[0], [1]], [0, 0])).toThrow('needs 2 to n − 1');
  });

  it('adjusted Rand index: 1 for a renamed partition, the textbook value for a small table', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 3, 3, 9])).toBe(1);
    // truth {0,1,2 | 3,4,5}, predicted {0,1 | 2,3 | 4,5}: Σ C(n_ij,2) = 1 + 0 + 0 + 1 = 2 (cells 2,1,1,2: C = 1,0,0,1),
    // Σ C(a,2) = 3 + 3 = 6, Σ C(b,2) = 1 + 1 + 1 = 3, E = 6·3/15 = 1.2, max = 4.5 → (2 − 1.2)/(4.5 − 1.2).
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.8 / 3.3, 14);
  });
});
