import type { AdamW } from '@mle/autograd';
import { createProgress } from '@mle/report';
import type { GPT } from '../model/gpt.js';
import { saveCheckpoint } from './checkpoint.js';
import type { Corpus } from './data.js';
import {
  checkRecipe,
  evaluateLoss,
  optimizersFor,
  type TrainRecipe,
  type TrainState,
  trainStep,
} from './train.js';

export interface TrainGptOptions {
  /** Continue a run (from loadCheckpoint); a fresh run otherwise. */
  resume?: { state: TrainState; optimizers: { decay: AdamW; plain: AdamW } };
  /** Stop after this step (the schedule still runs to recipe.steps): train in parts. */
  until?: number;
  /** Save a checkpoint to `dir` every `every` steps and at the end. */
  checkpoint?: { dir: string; every: number };
  /** A line per evaluation. */
  log?: (line: string) => void;
  /** Draw a progress bar with tokens/s and loss (on a terminal only). */
  progress?: boolean;
}

/**
 * Trains `model` on `corpus` by `recipe`: a step at a time, the validation loss every `evalEvery` steps and at the
 * last, checkpoints as asked. Returns the run's state; with `resume` it continues the same curve, because every
 * batch is a function of its step and the optimizer's moments come back with the weights.
 */
export function trainGpt(
  model: GPT,
  corpus: Corpus,
  recipe: TrainRecipe,
  options: TrainGptOptions = {},
): TrainState {
  checkRecipe(recipe, model);
  if (corpus.vocabSize !== model.config.vocabSize)
    throw new RangeError(
      `trainGpt: the corpus has ${corpus.vocabSize} tokens, the model's vocabulary ${model.config.vocabSize}`,
    );
  const optimizers = options.resume?.optimizers ?? optimizersFor(model, recipe);
  const state: TrainState = options.resume
    ? structuredClone(options.resume.state)
    : { step: 0, history: [], seconds: 0 };
  const last = Math.min(options.until ?? recipe.steps, recipe.steps);
  const progress = createProgress({
    total: last,
    label: `training ${corpus.name}`,
    enabled: options.progress,
  });
  progress.update(state.step);
  while (state.step < last) {
    const started = performance.now();
    const point = trainStep(model, optimizers, corpus.train, recipe, state.step);
    state.step += 1;
    if (state.step % recipe.evalEvery === 0 || state.step === recipe.steps) {
      point.valLoss = evaluateLoss(model, corpus.val, recipe.context, recipe.evalWindows);
      options.log?.(
        `step ${state.step}/${recipe.steps}: train ${point.trainLoss.toFixed(3)}, validation ${point.valLoss.toFixed(3)} nats/token, ${Math.round(point.tokensPerSecond)} tokens/s`,
      );
    }
    state.history.push(point);
    state.seconds += (performance.now() - started) / 1000;
    progress.update(state.step, {
      loss: point.trainLoss.toFixed(3),
      'tokens/s': Math.round(point.tokensPerSecond),
    });
    if (options.checkpoint && (state.step % options.checkpoint.every === 0 || state.step === last))
      saveCheckpoint(options.checkpoint.dir, model, optimizers, { recipe, state, corpus: corpus.name });
  }
  progress.stop();
  return state;
}
