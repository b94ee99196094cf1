/**
 * The JavaScript libraries people use instead, behind one small interface with ours, so the bench runs every model
 * on the same rows. Each peer runs with its own defaults except where a setting must match for the comparison to
 * mean anything (k, the number of trees, the SVM's C and γ), as the comments say.
 */
import libsvm from 'libsvm-js';
import { DecisionTreeClassifier as CartClassifier, DecisionTreeRegression as CartRegression } from 'ml-cart';
import KNN from 'ml-knn';
import MlLogisticRegression from 'ml-logistic-regression';
import { Matrix as MlMatrix } from 'ml-matrix';
import { GaussianNB as MlGaussianNB } from 'ml-naivebayes';
import {
  RandomForestClassifier as MlForestClassifier,
  RandomForestRegression as MlForestRegression,
} from 'ml-random-forest';
import MLR from 'ml-regression-multivariate-linear';
import type { Predictor } from '../src/index.js';

/** A model as the bench drives it: fit on rows, predict rows, release what it holds natively. */
export interface BenchModel {
  fit(X: number[][], y: number[]): void;
  predict(X: number[][]): ArrayLike<number>;
  release?(): void;
}

export function ours(make: () => Predictor): () => BenchModel {
  return () => {
    const model = make();
    return { fit: (X, y) => void model.fit(X, y), predict: (X) => model.predict(X) };
  };
}

const SVM = await (libsvm as unknown as Promise<LibsvmConstructor>);

interface LibsvmConstructor {
  new (
    options: Record<string, unknown>,
  ): { train(X: number[][], y: number[]): void; predict(X: number[][]): number[]; free(): void };
  KERNEL_TYPES: { RBF: number };
  SVM_TYPES: { C_SVC: number };
}

/** γ = 'scale' as scikit-learn and our SVC compute it, passed to libsvm as a number so both solve the same problem. */
export function gammaScale(X: number[][]): number {
  const values = X.flat();
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return 1 / (X[0]!.length * variance);
}

export const PEERS = {
  'ml-logistic-regression': (): BenchModel => {
    const model = new MlLogisticRegression(); // its defaults: 50,000 gradient steps at 5e-4, one-vs-all
    return {
      fit: (X, y) => model.train(new MlMatrix(X), MlMatrix.columnVector(y)),
      predict: (X) => model.predict(new MlMatrix(X)),
    };
  },
  'ml-knn': (): BenchModel => {
    let model: KNN | undefined;
    return {
      fit: (X, y) => {
        model = new KNN(X, y, { k: 5 }); // k as ours (its default is classes + 1)
      },
      predict: (X) => model!.predict(X) as number[],
    };
  },
  'ml-naivebayes': (): BenchModel => {
    const model = new MlGaussianNB();
    return { fit: (X, y) => model.train(X, y), predict: (X) => model.predict(X) };
  },
  'ml-cart': (): BenchModel => {
    const model = new CartClassifier();
    return { fit: (X, y) => model.train(X, y), predict: (X) => model.predict(X) };
  },
  'ml-cart (regression)': (): BenchModel => {
    const model = new CartRegression();
    return { fit: (X, y) => model.train(X, y), predict: (X) => model.predict(X) };
  },
  'ml-random-forest': (): BenchModel => {
    const model = new MlForestClassifier({ nEstimators: 100, seed: 1 }); // 100 trees, as ours
    return { fit: (X, y) => model.train(X, y), predict: (X) => model.predict(X) };
  },
  'ml-random-forest (regression)': (): BenchModel => {
    const model = new MlForestRegression({ nEstimators: 100, seed: 1 });
    return { fit: (X, y) => model.train(X, y), predict: (X) => model.predict(X) };
  },
  'ml-regression-multivariate-linear': (): BenchModel => {
    let model: MLR | undefined;
    return {
      fit: (X, y) => {
        model = new MLR(
          X,
          y.map((v) => [v]),
        );
      },
      predict: (X) => model!.predict(X).map((row: number[]) => row[0]!),
    };
  },
  'libsvm-js': (): BenchModel => {
    let model: InstanceType<LibsvmConstructor> | undefined;
    return {
      fit: (X, y) => {
        // C = 1 and γ = scale, as ours; libsvm's own default tolerance (1e-3), as ours.
        model = new SVM({
          kernel: SVM.KERNEL_TYPES.RBF,
          type: SVM.SVM_TYPES.C_SVC,
          cost: 1,
          gamma: gammaScale(X),
          quiet: true,
        });
        model.train(X, y);
      },
      predict: (X) => model!.predict(X),
      release: () => model?.free(),
    };
  },
} as const;

export type PeerName = keyof typeof PEERS;

/** The package a peer is reported under: its regression variant is the same package. */
export const packageOf = (peer: PeerName): string => peer.split(' ')[0]!;
