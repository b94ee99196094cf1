import { argmax, logSoftmax, type NDArray } from '@mle/tensor';

/** counts[actual][predicted]. */
export function confusionMatrix(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  classes: number,
): number[][] {
  if (predicted.length !== actual.length) {
    throw new RangeError(`confusionMatrix: ${predicted.length} predictions for ${actual.length} labels`);
  }
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) counts[actual[i]!]![predicted[i]!]!++;
  return counts;
}

export interface BiasVariance {
  trainError: number;
  devError: number;
  baselineError: number;
  /** train − baseline: what a bigger model or longer training could still win. */
  avoidableBias: number;
  /** dev − train: what more data or regularization could still win. */
  variance: number;
  /** Which gap is larger, i.e. what to work on next. */
  focus: 'bias' | 'variance';
}

/**
 * The bias/variance readout of "Structuring ML projects" (Ng): compare training error with a baseline
 * (human-level or best known) and dev error with training error; work on the larger gap.
 */
export function biasVariance(errors: {
  trainError: number;
  devError: number;
  baselineError: number;
}): BiasVariance {
  const avoidableBias = errors.trainError - errors.baselineError;
  const variance = errors.devError - errors.trainError;
  return { ...errors, avoidableBias, variance, focus: avoidableBias >= variance ? 'bias' : 'variance' };
}

export interface Example {
  index: number;
  label: number;
  predicted: number;
  /** Cross-entropy of this example: how confidently wrong the model is. */
  loss: number;
}

/** The k examples with the highest loss, for error analysis. */
export function worstExamples(logits: NDArray, labels: ArrayLike<number>, k: number): Example[] {
  const logp = logSoftmax(logits, 1);
  const predicted = argmax(logits, 1).data;
  const classes = logits.shape[1]!;
  const examples = Array.from({ length: labels.length }, (_, i) => ({
    index: i,
    label: labels[i]!,
    predicted: predicted[i]!,
    loss: -logp.data[i * classes + labels[i]!]!,
  }));
  return examples.sort((a, b) => b.loss - a.loss).slice(0, k);
}
