import { createProgress } from '@mle/report';
import type { NDArray } from '@mle/tensor';
import * as T from '@mle/tensor';
import type { DataLoader } from './data.js';
import type { Module } from './nn/module.js';
import { clipGradNorm, type Optimizer } from './optim/optimizer.js';
import type { LRScheduler } from './optim/schedules.js';
import { noGrad, Tensor } from './tensor.js';

export type LossFn = (output: Tensor, targets: NDArray) => Tensor;

/**
 * A figure of merit over a batch: the mean over its rows of some per-row score (fit and evaluate weight each
 * batch by its rows, so the epoch figure is the mean over all rows).
 */
export type Metric = (outputs: NDArray, targets: NDArray) => number;

/** The share of rows whose highest output is the target class: outputs [N, classes], targets [N] class ids. */
export const accuracy: Metric = (outputs, targets) => countCorrect(outputs, targets) / targets.shape[0]!;

/**
 * Targets that are class ids (a vector of integers beside outputs [N, classes]): the task fit and evaluate
 * measure accuracy for when no metrics are given. Anything else (a regression's float targets) gets only the loss.
 */
export function isClassification(outputs: NDArray, targets: NDArray): boolean {
  return (
    targets.dtype === 'int32' &&
    targets.shape.length === 1 &&
    outputs.shape.length === 2 &&
    outputs.shape[0] === targets.shape[0]
  );
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  /**
   * Each metric over the epoch's batches as they were trained (a running figure, as Keras reports): the given
   * metrics, or `accuracy` when the targets are class ids and none were given.
   */
  train: Record<string, number>;
  devLoss?: number;
  dev?: Record<string, number>;
  lr: number;
  seconds: number;
}

export interface FitOptions {
  model: Module;
  optimizer: Optimizer;
  loss: LossFn;
  train: DataLoader;
  /** Held-out data for per-epoch validation and early stopping. */
  dev?: { x: NDArray; y: NDArray };
  epochs: number;
  scheduler?: LRScheduler;
  /** Clip the global gradient norm to this before every step. */
  clipNorm?: number;
  /** Stop when dev loss has not improved by minDelta for `patience` epochs, and restore the best weights. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Metrics to report per epoch, by name; by default `{ accuracy }` when the targets are class ids, else none. */
  metrics?: Record<string, Metric>;
  /** Progress bar label (the bar shows on a terminal only). */
  label?: string;
  onEpoch?: (record: EpochRecord) => void;
}

export interface FitResult {
  history: EpochRecord[];
  stoppedEarly: boolean;
  /** The epoch whose weights the model holds at the end. */
  bestEpoch: number;
}

export class TrainingError extends Error {
  override name = 'TrainingError';
}

/**
 * The training loop of every PyTorch tutorial, once: per batch forward, loss, backward, clip, step; per
 * epoch a dev evaluation, the schedule, and early stopping. A non-finite loss stops training at once,
 * before the optimizer applies it, with the epoch and step in the message.
 */
export function fit(options: FitOptions): FitResult {
  const { model, optimizer, loss, train, dev, epochs } = options;
  const history: EpochRecord[] = [];
  const progress = createProgress({ total: epochs * train.length, label: options.label ?? 'train' });
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, state: null as Map<string, NDArray> | null };
  let stale = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      model.train();
      let lossSum = 0;
      const sums: Record<string, number> = {};
      let seen = 0;
      let step = 0;
      for (const batch of train) {
        step++;
        const output = model.forward(new Tensor(batch.x));
        const value = loss(output, batch.y);
        const l = value.item();
        if (!Number.isFinite(l)) {
          throw new TrainingError(
            `fit: loss is ${l} at epoch ${epoch}, step ${step}; training stopped before the update`,
          );
        }
        optimizer.zeroGrad();
        value.backward();
        if (options.clipNorm !== undefined) clipGradNorm(model.parameters(), options.clipNorm);
        optimizer.step();
        const n = batch.x.shape[0]!;
        lossSum += l * n;
        seen += n;
        for (const [name, metric] of Object.entries(metricsFor(options.metrics, output.value, batch.y)))
          sums[name] = (sums[name] ?? 0) + metric(output.value, batch.y) * n;
        progress.increment(1, { epoch, loss: (lossSum / seen).toFixed(4) });
      }
      const record: EpochRecord = {
        epoch,
        trainLoss: lossSum / seen,
        train: Object.fromEntries(Object.entries(sums).map(([name, sum]) => [name, sum / seen])),
        lr: optimizer.lr,
        seconds: 0,
      };
      if (dev) {
        const result = evaluate(model, dev.x, dev.y, loss, { metrics: options.metrics });
        record.devLoss = result.loss;
        record.dev = result.metrics;
      }
      options.scheduler?.step();
      record.seconds = (performance.now() - started) / 1000;
      history.push(record);
      options.onEpoch?.(record);
      if (options.earlyStopping && record.devLoss !== undefined) {
        if (record.devLoss < best.loss - (options.earlyStopping.minDelta ?? 0)) {
          best = { loss: record.devLoss, epoch, state: snapshot(model) };
          stale = 0;
        } else if (++stale >= options.earlyStopping.patience) {
          stoppedEarly = true;
          break;
        }
      }
    }
  } finally {
    progress.stop();
  }
  if (best.state) model.loadStateDict(best.state);
  return { history, stoppedEarly, bestEpoch: best.state ? best.epoch : history.length };
}

export interface Evaluation {
  loss: number;
  /** The given metrics, or `accuracy` when the targets are class ids and none were given. */
  metrics: Record<string, number>;
  /** Model outputs for every row, [N, classes]. */
  logits: NDArray;
}

/** Loss, metrics and outputs over a whole set, in eval mode without a graph, in batches. */
export function evaluate(
  model: Module,
  x: NDArray,
  y: NDArray,
  loss: LossFn,
  options: { batchSize?: number; metrics?: Record<string, Metric> } = {},
): Evaluation {
  const { batchSize = 500 } = options;
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const n = x.shape[0]!;
      const parts: NDArray[] = [];
      let lossSum = 0;
      for (let start = 0; start < n; start += batchSize) {
        const stop = Math.min(start + batchSize, n);
        const out = model.forward(new Tensor(x.slice({ start, stop })));
        lossSum += loss(out, y.slice({ start, stop })).item() * (stop - start);
        parts.push(out.value);
      }
      const logits = T.concat(parts, 0);
      const metrics = Object.fromEntries(
        Object.entries(metricsFor(options.metrics, logits, y)).map(([name, metric]) => [
          name,
          metric(logits, y),
        ]),
      );
      return { loss: lossSum / n, metrics, logits };
    });
  } finally {
    model.train(wasTraining);
  }
}

function metricsFor(
  given: Record<string, Metric> | undefined,
  outputs: NDArray,
  targets: NDArray,
): Record<string, Metric> {
  return given ?? (isClassification(outputs, targets) ? { accuracy } : {});
}

function countCorrect(logits: NDArray, labels: NDArray): number {
  const predicted = T.argmax(logits, 1).data;
  const actual = labels.toTypedArray();
  let correct = 0;
  for (let i = 0; i < actual.length; i++) if (predicted[i] === actual[i]) correct++;
  return correct;
}

function snapshot(model: Module): Map<string, NDArray> {
  return new Map([...model.stateDict()].map(([k, v]) => [k, v.clone()]));
}
