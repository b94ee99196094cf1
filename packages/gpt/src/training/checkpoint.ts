import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AdamW, loadStateDict, saveStateDict } from '@mle/autograd';
import type { NDArray } from '@mle/tensor';
import { checkConfig, type GptConfig } from '../model/config.js';
import { GPT } from '../model/gpt.js';
import { optimizersFor, type TrainRecipe, type TrainState } from './train.js';

/** What a checkpoint's checkpoint.json holds beside the weights and the optimizer's state. */
export interface CheckpointInfo {
  format: 'mle-gpt-checkpoint';
  config: GptConfig;
  recipe: TrainRecipe;
  state: TrainState;
  /** The corpus's name ("chars", "bpe-512"): a checkpoint of one cannot continue on another. */
  corpus: string;
}

const prefixed = (prefix: string, state: Map<string, NDArray>) =>
  new Map([...state].map(([k, v]) => [`${prefix}.${k}`, v] as [string, NDArray]));

/**
 * Writes the model's weights, both optimizer groups' state and the run's config, recipe and history to `dir`. The
 * files go to a sibling directory first, which then replaces `dir`: a run killed mid-write leaves the last whole
 * checkpoint, never half of one.
 */
export function saveCheckpoint(
  dir: string,
  model: GPT,
  optimizers: { decay: AdamW; plain: AdamW },
  info: Omit<CheckpointInfo, 'format' | 'config'>,
): void {
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  saveStateDict(model.stateDict(), join(staging, 'model'));
  saveStateDict(
    new Map([
      ...prefixed('decay', optimizers.decay.stateDict()),
      ...prefixed('plain', optimizers.plain.stateDict()),
    ]),
    join(staging, 'optimizer'),
  );
  const full: CheckpointInfo = { format: 'mle-gpt-checkpoint', config: model.config, ...info };
  writeFileSync(join(staging, 'checkpoint.json'), `${JSON.stringify(full, null, 1)}\n`);
  mkdirSync(dirname(dir), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
}

/** The model and optimizers a checkpoint describes, ready to continue; errors name a missing or foreign file. */
export function loadCheckpoint(dir: string): {
  model: GPT;
  optimizers: { decay: AdamW; plain: AdamW };
  info: CheckpointInfo;
} {
  const infoPath = join(dir, 'checkpoint.json');
  if (!existsSync(infoPath)) throw new Error(`loadCheckpoint: no checkpoint.json in ${dir}`);
  const info = JSON.parse(readFileSync(infoPath, 'utf8')) as CheckpointInfo;
  if (info.format !== 'mle-gpt-checkpoint')
    throw new Error(
      `loadCheckpoint: ${infoPath} is not a GPT checkpoint (format ${JSON.stringify(info.format)})`,
    );
  const model = new GPT(checkConfig(info.config));
  model.loadStateDict(loadStateDict(join(dir, 'model')));
  const optimizers = optimizersFor(model, info.recipe);
  const saved = loadStateDict(join(dir, 'optimizer'));
  for (const group of ['decay', 'plain'] as const) {
    const own = new Map(
      [...saved]
        .filter(([k]) => k.startsWith(`${group}.`))
        .map(([k, v]) => [k.slice(group.length + 1), v] as [string, NDArray]),
    );
    optimizers[group].loadStateDict(own);
  }
  return { model, optimizers, info };
}
