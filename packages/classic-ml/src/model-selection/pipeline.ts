import type { ModelJson, Predictor, Transformer } from '../core/estimator.js';
import type { Features, Matrix } from '../core/matrix.js';

/** Each step's hyperparameters, by step name. */
export type PipelineParams = Record<string, Record<string, unknown>>;

/**
 * Transformers then a final model, fitted and applied in order (scikit-learn's Pipeline): fit learns each
 * transformer on the training rows alone and passes its output on, so a scaler inside cross-validation never sees
 * the held-out fold. Parameters are addressed per step: withParams({ model: { C: 10 } }).
 */
export class Pipeline implements Predictor<PipelineParams> {
  readonly steps: readonly (readonly [string, Transformer | Predictor])[];

  constructor(steps: readonly (readonly [string, Transformer | Predictor])[]) {
    if (steps.length === 0) throw new RangeError('Pipeline: needs at least one step (the model)');
    const names = new Set<string>();
    for (const [name, step] of steps.slice(0, -1)) {
      if (!('transform' in step))
        throw new TypeError(
          `Pipeline: step ${JSON.stringify(name)} comes before the last, so it must transform`,
        );
    }
    for (const [name] of steps) {
      if (names.has(name)) throw new RangeError(`Pipeline: two steps are named ${JSON.stringify(name)}`);
      names.add(name);
    }
    this.steps = steps;
  }

  get params(): PipelineParams {
    return Object.fromEntries(this.steps.map(([name, step]) => [name, { ...step.params }]));
  }

  /** The last step, the one that predicts. */
  get model(): Predictor {
    const last = this.steps[this.steps.length - 1]![1];
    if (!('predict' in last)) throw new TypeError('Pipeline: the last step does not predict');
    return last as Predictor;
  }

  withParams(changes: Partial<PipelineParams>): Pipeline {
    for (const name of Object.keys(changes))
      if (!this.steps.some(([n]) => n === name))
        throw new RangeError(
          `Pipeline.withParams: no step named ${JSON.stringify(name)} (steps: ${this.steps.map(([n]) => n).join(', ')})`,
        );
    return new Pipeline(
      this.steps.map(([name, step]) => [
        name,
        step.withParams({ ...(changes[name] ?? {}) }) as Transformer | Predictor,
      ]),
    );
  }

  fit(X: Features, y: ArrayLike<number>): this {
    let data: Features = X;
    for (const [, step] of this.steps.slice(0, -1)) data = (step as Transformer).fitTransform(data, y);
    this.model.fit(data, y);
    return this;
  }

  /** X through every transformer (not the model). */
  transform(X: Features): Features {
    let data: Features = X;
    for (const [, step] of this.steps.slice(0, -1)) data = (step as Transformer).transform(data) as Matrix;
    return data;
  }

  predict(X: Features): Float64Array {
    return this.model.predict(this.transform(X));
  }

  predictProba(X: Features): Matrix {
    const model = this.model as Predictor & { predictProba?(X: Features): Matrix };
    if (!model.predictProba) throw new TypeError('Pipeline.predictProba: the last step has no predictProba');
    return model.predictProba(this.transform(X));
  }

  score(X: Features, y: ArrayLike<number>): number {
    return this.model.score(this.transform(X), y);
  }

  toJSON(): ModelJson {
    return {
      type: 'Pipeline',
      params: this.params,
      state: { steps: this.steps.map(([name, step]) => ({ name, model: step.toJSON() })) },
    };
  }
}
