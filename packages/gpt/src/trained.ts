import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manualSeed } from '@mle/autograd';
import { recipeKey, replaceArtifacts } from '@mle/report';
import { type GptConfig, POSITION_SCHEMES, type PositionScheme } from './model/config.js';
import { GPT } from './model/gpt.js';
import { loadCheckpoint } from './training/checkpoint.js';
import { bpeCorpus, type Corpus, charCorpus } from './training/data.js';
import type { TrainRecipe, TrainState } from './training/train.js';
import { trainGpt } from './training/trainer.js';

export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** A model to train and how: its shape (the vocabulary comes from the corpus), the corpus, the training recipe. */
export interface GptRecipe {
  name: string;
  corpus: 'chars' | { bpe: number };
  model: Omit<GptConfig, 'vocabSize'>;
  train: TrainRecipe;
}

/** The README's character model: 4 layers of width 128 with 4 heads, rotary positions, windows of 128 characters. */
export const CHAR_GPT: GptRecipe = {
  name: 'char-gpt',
  corpus: 'chars',
  model: { contextLength: 128, layers: 4, heads: 4, width: 128, dropout: 0, bias: false, positions: 'rope' },
  train: {
    batchSize: 16,
    accumulation: 1,
    context: 128,
    steps: 720,
    learningRate: 3e-3,
    minLearningRate: 3e-4,
    warmupSteps: 50,
    weightDecay: 0.1,
    betas: [0.9, 0.99],
    gradClip: 1,
    evalEvery: 50,
    evalWindows: 64,
    seed: 0,
  },
};

/** The same model trained 2.5 times as long (a longer cosine schedule), to show where the 15-minute run stops. */
export const CHAR_GPT_LONG: GptRecipe = {
  ...CHAR_GPT,
  name: 'char-gpt-long',
  train: { ...CHAR_GPT.train, steps: 1800 },
};

/** Seconds of training, for `--quick` and CI: the same code path at a size that learns letters, not words. */
export const CHAR_GPT_QUICK: GptRecipe = {
  name: 'char-gpt-quick',
  corpus: 'chars',
  model: { ...CHAR_GPT.model, contextLength: 32, layers: 2, heads: 2, width: 32 },
  train: {
    ...CHAR_GPT.train,
    batchSize: 8,
    context: 32,
    steps: 150,
    learningRate: 1e-2,
    minLearningRate: 1e-3,
    warmupSteps: 10,
    evalEvery: 50,
    evalWindows: 16,
  },
};

/** The same shape on byte-level BPE tokens (512, merges learned from the training text): fewer, longer tokens. */
export const BPE_GPT: GptRecipe = {
  ...CHAR_GPT,
  name: 'bpe512-gpt',
  corpus: { bpe: 512 },
  train: { ...CHAR_GPT.train, steps: 500 },
};

/**
 * The length-extrapolation experiment: a small model per position scheme, trained on windows of 128 characters, to
 * be scored on windows of 128 and of 256 (Press et al.'s question: does the loss hold up past the training length?).
 */
export const EXTRAPOLATION: Record<PositionScheme, GptRecipe> = Object.fromEntries(
  POSITION_SCHEMES.map((positions) => [
    positions,
    {
      name: `extrapolation-${positions}`,
      corpus: 'chars',
      model: { contextLength: 128, layers: 2, heads: 4, width: 64, dropout: 0, bias: false, positions },
      train: {
        ...CHAR_GPT.train,
        steps: 300,
        learningRate: 3e-3,
        minLearningRate: 3e-4,
        evalEvery: 100,
        evalWindows: 32,
      },
    },
  ]),
) as Record<PositionScheme, GptRecipe>;

export function corpusFor(recipe: GptRecipe): Corpus {
  return recipe.corpus === 'chars' ? charCorpus() : bpeCorpus(recipe.corpus.bpe);
}

export interface TrainedGpt {
  model: GPT;
  corpus: Corpus;
  state: TrainState;
  key: string;
  /** True when the finished checkpoint was loaded, false when this call trained (or finished training) it. */
  loaded: boolean;
}

/** The key a recipe's checkpoint is saved under: a hash of the recipe and of the code that decides the weights. */
export function gptRecipeKey(recipe: GptRecipe): string {
  // The model and training code, and the packages under them: not decoding, demos or docs.
  return recipeKey(recipe, fileURLToPath(new URL('..', import.meta.url)), [
    './src/model',
    './src/training',
    '@mle/autograd',
    '@mle/tensor',
    '@mle/nlp',
    '@mle/datasets',
  ]);
}

const checkpointDir = (recipe: GptRecipe, key: string, artifacts = ARTIFACTS) =>
  `${join(artifacts, `${recipe.name}-${key}`)}.checkpoint`;

/** The key, the checkpoint directory and, if a run of this recipe and code saved one, its checkpoint (read once). */
function savedRun(recipe: GptRecipe, artifacts: string) {
  const key = gptRecipeKey(recipe);
  const dir = checkpointDir(recipe, key, artifacts);
  const saved = existsSync(join(dir, 'checkpoint.json')) ? loadCheckpoint(dir) : null;
  const finished = saved !== null && saved.info.state.step >= recipe.train.steps;
  return { key, dir, saved, finished };
}

/** The finished model of `recipe` if a run of the same recipe and code saved one under `artifacts/`, else null. */
export function finishedGpt(recipe: GptRecipe, artifacts = ARTIFACTS): TrainedGpt | null {
  const { key, saved, finished } = savedRun(recipe, artifacts);
  if (!saved || !finished) return null;
  return { model: saved.model, corpus: corpusFor(recipe), state: saved.info.state, key, loaded: true };
}

/**
 * The model of `recipe`, from its checkpoint under `artifacts/` when a run with the same recipe and the same code
 * finished one; an unfinished checkpoint is resumed, and no checkpoint starts a run, saving every `evalEvery` steps.
 */
export function trainedGpt(
  recipe: GptRecipe,
  options: { log?: (line: string) => void; progress?: boolean; artifacts?: string } = {},
): TrainedGpt {
  const log = options.log ?? (() => {});
  const artifacts = options.artifacts ?? ARTIFACTS;
  const { key, dir, saved, finished } = savedRun(recipe, artifacts);
  const corpus = corpusFor(recipe);
  if (saved && finished) {
    log(`loaded ${recipe.name} (recipe ${key}) from ${artifacts}`);
    return { model: saved.model, corpus, state: saved.info.state, key, loaded: true };
  }
  if (saved) {
    const { model, optimizers, info } = saved;
    log(`resuming ${recipe.name} (recipe ${key}) at step ${info.state.step} of ${recipe.train.steps}`);
    const state = trainGpt(model, corpus, recipe.train, {
      resume: { state: info.state, optimizers },
      checkpoint: { dir, every: recipe.train.evalEvery },
      log,
      progress: options.progress,
    });
    return { model, corpus, state, key, loaded: false };
  }
  const prefix = `${recipe.name}-`;
  replaceArtifacts(artifacts, prefix, key);
  log(`no finished ${recipe.name} for recipe ${key}: training it (${recipe.train.steps} steps)`);
  manualSeed(recipe.train.seed);
  const model = new GPT({ ...recipe.model, vocabSize: corpus.vocabSize });
  const state = trainGpt(model, corpus, recipe.train, {
    checkpoint: { dir, every: recipe.train.evalEvery },
    log,
    progress: options.progress,
  });
  return { model, corpus, state, key, loaded: false };
}
