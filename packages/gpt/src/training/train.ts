import { AdamW, clipGradNorm, crossEntropy, manualSeed, noGrad, reshape } from '@mle/autograd';
import * as T from '@mle/tensor';
import type { GPT } from '../model/gpt.js';

/** How to train: nanoGPT's train.py settings, as one typed object. */
export interface TrainRecipe {
  /** Sequences per micro-batch, each `context` tokens long. */
  batchSize: number;
  /** Micro-batches whose gradients are summed into one step (the step's batch is batchSize × accumulation). */
  accumulation: number;
  /** Tokens per training sequence (at most the model's context length). */
  context: number;
  steps: number;
  /** Peak learning rate, reached after `warmupSteps` by a linear ramp, then a cosine decay to `minLearningRate`. */
  learningRate: number;
  minLearningRate: number;
  warmupSteps: number;
  /** AdamW's decoupled decay (Loshchilov & Hutter), on the linear layers' matrices only. */
  weightDecay: number;
  betas: [number, number];
  /** The global gradient norm is clipped to this. */
  gradClip: number;
  /** Validation loss every this many steps, on `evalWindows` windows spread evenly over the validation tokens. */
  evalEvery: number;
  evalWindows: number;
  seed: number;
}

export interface TrainPoint {
  /** Steps done when this was measured: 1 for the first. */
  step: number;
  trainLoss: number;
  /** Present on the steps the validation loss was measured. */
  valLoss?: number;
  learningRate: number;
  /** Training tokens per second over this step (forward, backward, update). */
  tokensPerSecond: number;
}

/** Where a run is: enough, with the weights and the optimizer's state, to continue it as if it had not stopped. */
export interface TrainState {
  step: number;
  history: TrainPoint[];
  /** Seconds spent in training steps and evaluations so far, across resumes. */
  seconds: number;
}

/** nanoGPT's get_lr: linear warmup over `warmupSteps`, cosine decay to the minimum at `steps`, then the minimum. */
export function learningRateAt(step: number, recipe: TrainRecipe): number {
  const { learningRate, minLearningRate, warmupSteps, steps } = recipe;
  if (step < warmupSteps) return (learningRate * (step + 1)) / warmupSteps;
  if (step >= steps) return minLearningRate;
  const progress = (step - warmupSteps) / Math.max(1, steps - warmupSteps);
  return minLearningRate + 0.5 * (1 + Math.cos(Math.PI * progress)) * (learningRate - minLearningRate);
}

/**
 * Micro-batch `micro` of step `step`: `batchSize` windows of `context` + 1 tokens at random offsets, from a generator
 * seeded by (seed, step, micro) alone, so any step's batch can be drawn again and a resumed run sees the batches
 * the uninterrupted one would have. Inputs are [B, context]; targets, the same windows shifted by one, [B·context].
 */
export function batchAt(
  tokens: Int32Array,
  recipe: TrainRecipe,
  step: number,
  micro: number,
): { inputs: T.NDArray; targets: T.NDArray } {
  const { batchSize, context } = recipe;
  if (tokens.length <= context)
    throw new RangeError(`batchAt: ${tokens.length} tokens cannot fill a window of ${context} + 1`);
  const rng = new T.Rng(recipe.seed * 1_000_003 + step * 64 + micro);
  const inputs = new Int32Array(batchSize * context);
  const targets = new Int32Array(batchSize * context);
  for (let b = 0; b < batchSize; b++) {
    const start = rng.nextInt(tokens.length - context);
    inputs.set(tokens.subarray(start, start + context), b * context);
    targets.set(tokens.subarray(start + 1, start + context + 1), b * context);
  }
  return {
    inputs: T.fromTypedArray(inputs, [batchSize, context]),
    targets: T.fromTypedArray(targets, [batchSize * context]),
  };
}

/**
 * Mean cross-entropy (nats per token) of the model over `windows` windows of `context` tokens spread evenly over
 * `tokens`, in evaluation mode: the same windows every time, so losses of different steps and runs compare.
 */
export function evaluateLoss(
  model: GPT,
  tokens: Int32Array,
  context: number,
  windows: number,
  batch = 16,
): number {
  const span = tokens.length - context - 1;
  if (span < 0)
    throw new RangeError(`evaluateLoss: ${tokens.length} tokens cannot fill a window of ${context} + 1`);
  const starts = Array.from({ length: windows }, (_, i) => Math.floor((i * span) / Math.max(1, windows - 1)));
  const training = model.training;
  model.eval();
  let total = 0;
  try {
    for (let i = 0; i < starts.length; i += batch) {
      const group = starts.slice(i, i + batch);
      const inputs = new Int32Array(group.length * context);
      const targets = new Int32Array(group.length * context);
      group.forEach((start, b) => {
        inputs.set(tokens.subarray(start, start + context), b * context);
        targets.set(tokens.subarray(start + 1, start + context + 1), b * context);
      });
      const loss = noGrad(() => {
        const logits = model.forward(T.fromTypedArray(inputs, [group.length, context]));
        return crossEntropy(
          reshape(logits, [group.length * context, model.config.vocabSize]),
          T.fromTypedArray(targets, [targets.length]),
        );
      });
      total += loss.item() * group.length;
    }
  } finally {
    model.train(training);
  }
  return total / starts.length;
}

/** AdamW in two groups, as nanoGPT's configure_optimizers: decay on the matrices, none on norms, biases, embeddings. */
export function optimizersFor(model: GPT, recipe: TrainRecipe): { decay: AdamW; plain: AdamW } {
  const options = { lr: recipe.learningRate, betas: recipe.betas };
  return {
    decay: new AdamW(model.decayedParameters(), { ...options, weightDecay: recipe.weightDecay }),
    plain: new AdamW(model.undecayedParameters(), { ...options, weightDecay: 0 }),
  };
}

export function checkRecipe(recipe: TrainRecipe, model: GPT): TrainRecipe {
  for (const key of ['batchSize', 'accumulation', 'context', 'steps', 'evalEvery', 'evalWindows'] as const)
    if (!(Number.isInteger(recipe[key]) && recipe[key] > 0))
      throw new RangeError(`TrainRecipe: ${key} must be a positive integer, got ${recipe[key]}`);
  if (recipe.context > model.config.contextLength)
    throw new RangeError(
      `TrainRecipe: context ${recipe.context} is longer than the model's context length ${model.config.contextLength}`,
    );
  if (
    !(recipe.learningRate > 0 && recipe.minLearningRate >= 0 && recipe.minLearningRate <= recipe.learningRate)
  )
    throw new RangeError(
      `TrainRecipe: need 0 ≤ minLearningRate ≤ learningRate and learningRate > 0, got ${recipe.minLearningRate} and ${recipe.learningRate}`,
    );
  if (!(recipe.gradClip > 0))
    throw new RangeError(`TrainRecipe: gradClip must be positive, got ${recipe.gradClip}`);
  return recipe;
}

/**
 * One optimizer step: `accumulation` micro-batches, each loss scaled by 1/accumulation so the summed gradient is
 * the mean over the whole batch, the global norm clipped, the scheduled learning rate set, and both groups updated.
 */
export function trainStep(
  model: GPT,
  optimizers: { decay: AdamW; plain: AdamW },
  data: Int32Array,
  recipe: TrainRecipe,
  step: number,
): TrainPoint {
  const started = performance.now();
  model.train();
  // Dropout draws from the global generator: seeded by the step, a resumed run draws the masks this one would have.
  manualSeed(recipe.seed * 1_000_003 + step);
  let loss = 0;
  for (let micro = 0; micro < recipe.accumulation; micro++) {
    const { inputs, targets } = batchAt(data, recipe, step, micro);
    const logits = model.forward(inputs);
    const microLoss = crossEntropy(reshape(logits, [targets.size, model.config.vocabSize]), targets);
    if (!Number.isFinite(microLoss.item()))
      throw new RangeError(
        `trainStep: the loss at step ${step} is ${microLoss.item()}; lower the learning rate`,
      );
    microLoss.div(recipe.accumulation).backward();
    loss += microLoss.item() / recipe.accumulation;
  }
  clipGradNorm(model.parameters(), recipe.gradClip);
  const learningRate = learningRateAt(step, recipe);
  for (const optimizer of [optimizers.decay, optimizers.plain]) {
    optimizer.lr = learningRate;
    optimizer.step();
    optimizer.zeroGrad();
  }
  const seconds = (performance.now() - started) / 1000;
  const tokens = recipe.batchSize * recipe.accumulation * recipe.context;
  return { step: step + 1, trainLoss: loss, learningRate, tokensPerSecond: tokens / seconds };
}
