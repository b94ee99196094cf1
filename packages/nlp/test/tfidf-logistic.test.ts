import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogisticRegression, type SparseRows, type TfidfOptions, TfidfVectorizer } from '../src/index.js';

/** scikit-learn 1.2.1's outputs on 240 labelled sentences: see scripts/sklearn-reference.py, which made them. */
interface Reference {
  documents: string[][];
  labels: number[];
  tfidf: {
    options: {
      smoothIdf: boolean;
      sublinearTf: boolean;
      norm: 'l1' | 'l2' | null;
      useIdf: boolean;
      minDf?: number;
    };
    vocabulary: string[];
    idf: number[] | null;
    matrix: { indptr: number[]; indices: number[]; data: number[] };
  }[];
  logistic: { C: number; coef: number[]; intercept: number; probabilities: number[] }[];
}
const reference: Reference = JSON.parse(
  readFileSync(new URL('fixtures/sklearn-tfidf-logistic.json', import.meta.url), 'utf8'),
);

const ours = (o: Reference['tfidf'][number]['options']): TfidfOptions => ({
  tf: o.sublinearTf ? 'sublinear' : 'raw',
  idf: o.useIdf ? (o.smoothIdf ? 'smooth' : 'plain') : 'none',
  norm: o.norm,
  minDf: o.minDf ?? 1,
});

describe('TfidfVectorizer against scikit-learn’s TfidfVectorizer', () => {
  for (const variant of reference.tfidf) {
    const o = ours(variant.options);
    it(`tf ${o.tf}, idf ${o.idf}, norm ${o.norm}, minDf ${o.minDf}: the same vocabulary, idf and matrix`, () => {
      const vectorizer = new TfidfVectorizer(o);
      const x = vectorizer.fitTransform(reference.documents);
      expect(vectorizer.vocabulary).toEqual(variant.vocabulary);
      if (variant.idf) expectClose(vectorizer.idf!, variant.idf, 1e-12);
      else expect(vectorizer.idf).toBeNull();
      expect(Array.from(x.indptr)).toEqual(variant.matrix.indptr);
      expect(Array.from(x.indices)).toEqual(variant.matrix.indices);
      expectClose(x.data, variant.matrix.data, 1e-12);
    });
  }

  it('the textbook idf, ln(n / df), by hand; unseen words are ignored', () => {
    const docs = [
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'b', 'b'],
    ];
    const v = new TfidfVectorizer({ idf: 'textbook', norm: null }).fit(docs);
    expect(Array.from(v.idf!)).toEqual([0, Math.log(3 / 2), Math.log(3)]);
    const x = v.transform([['b', 'b', 'zebra', 'c']]);
    expect(Array.from(x.indices)).toEqual([1, 2]);
    expect(Array.from(x.data)).toEqual([2 * Math.log(3 / 2), Math.log(3)]);
  });

  it('says what is wrong', () => {
    expect(() => new TfidfVectorizer().transform([['a']])).toThrow(
      'TfidfVectorizer.transform: call fit(documents) first',
    );
    expect(() => new TfidfVectorizer().fit([])).toThrow('TfidfVectorizer.fit: no documents');
    expect(() => new TfidfVectorizer({ minDf: 3 }).fit([['a'], ['b']])).toThrow(
      'no term occurs in 3 or more documents',
    );
    expect(() => new TfidfVectorizer({ minDf: 0 })).toThrow('minDf must be a whole number ≥ 1, got 0');
  });
});

describe('LogisticRegression against scikit-learn’s LogisticRegression (lbfgs, Newton–Cholesky, solved to machine precision)', () => {
  const x = new TfidfVectorizer().fitTransform(reference.documents);
  for (const fit of reference.logistic) {
    it(`C = ${fit.C}: the same optimum (weights, intercept, probabilities)`, () => {
      const model = new LogisticRegression({ C: fit.C, tolerance: 1e-10 }).fit(x, reference.labels);
      expect(model.convergence.converged).toBe(true);
      expectClose(model.weights, fit.coef, 5e-7); // measured: 3e-9 at C = 1, 1e-7 at C = 10
      expect(Math.abs(model.intercept - fit.intercept)).toBeLessThan(5e-8);
      expectClose(model.predictProba(rows(x, 10)), fit.probabilities, 1e-8);
    });
  }

  it('the gradient at its optimum is zero, and a larger C fits the training data more closely', () => {
    const loose = new LogisticRegression({ C: 0.1 }).fit(x, reference.labels);
    const tight = new LogisticRegression({ C: 100 }).fit(x, reference.labels);
    const logLoss = (m: LogisticRegression) => {
      const p = m.predictProba(x);
      return -reference.labels.reduce((s, y, i) => s + Math.log(y === 1 ? p[i]! : 1 - p[i]!), 0);
    };
    expect(logLoss(tight)).toBeLessThan(logLoss(loose));
    expect(norm(tight.weights)).toBeGreaterThan(norm(loose.weights));
  });

  it('says what is wrong', () => {
    expect(() => new LogisticRegression().predict(x)).toThrow(
      'LogisticRegression: call fit(x, labels) before predicting',
    );
    expect(() => new LogisticRegression({ C: 0 })).toThrow('C must be > 0, got 0');
    expect(() => new LogisticRegression().fit(x, [1])).toThrow('240 rows but 1 labels (one per row)');
    expect(() =>
      new LogisticRegression().fit(
        x,
        reference.labels.map((l) => l * 2),
      ),
    ).toThrow('is 2 (expected 0 or 1)');
    const model = new LogisticRegression().fit(x, reference.labels);
    expect(() => model.predict({ ...x, cols: 3 })).toThrow('rows have 3 columns, the model was fitted on');
  });
});

function rows(x: SparseRows, count: number): SparseRows {
  const end = x.indptr[count]!;
  return {
    rows: count,
    cols: x.cols,
    indptr: x.indptr.slice(0, count + 1),
    indices: x.indices.slice(0, end),
    data: x.data.slice(0, end),
  };
}

const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, w) => s + w * w, 0));

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tolerance);
}
