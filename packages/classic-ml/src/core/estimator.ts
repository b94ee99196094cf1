import type { Features, Matrix } from './matrix.js';

/** A model's JSON form: its type, its hyperparameters and what fit learned. `loadModel` rebuilds it. */
export interface ModelJson {
  type: string;
  params: Record<string, unknown>;
  state: Record<string, unknown> | null;
}

/** What every model shares: typed hyperparameters, an unfitted copy with some changed, and a JSON form. */
export interface Estimator<P extends object = object> {
  readonly params: Readonly<P>;
  /** A new, unfitted model of the same type with `changes` applied to its hyperparameters. */
  withParams(changes: Partial<P>): Estimator<P>;
  toJSON(): ModelJson;
}

export interface Predictor<P extends object = object> extends Estimator<P> {
  fit(X: Features, y: ArrayLike<number>): this;
  predict(X: Features): Float64Array;
  /** Accuracy for a classifier, R² for a regressor (as scikit-learn's `score`). */
  score(X: Features, y: ArrayLike<number>): number;
}

export interface Classifier<P extends object = object> extends Predictor<P> {
  /** The sorted distinct labels seen in fit. */
  readonly classes: Float64Array;
  /** n × classes.length, each row a probability distribution over `classes`. */
  predictProba?(X: Features): Matrix;
}

export interface Transformer<P extends object = object> extends Estimator<P> {
  fit(X: Features, y?: ArrayLike<number>): this;
  transform(X: Features): Matrix;
  fitTransform(X: Features, y?: ArrayLike<number>): Matrix;
}
