import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Adam,
  crossEntropy,
  DataLoader,
  fit,
  loadStateDict,
  manualSeed,
  mnistArrays,
  mnistMlp,
  saveStateDict,
} from '@mle/autograd';

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

/**
 * The autograd demo's MLP (784-128-10, dropout 0.2, Adam 1e-3, batch 64, 20 epochs, seed 0) with its
 * weights: loaded from artifacts/ when a previous run saved them, else trained now (~12 s) and saved.
 */
export function trainedMnistMlp(log: (line: string) => void) {
  const base = join(ARTIFACTS, 'mnist-mlp');
  const data = mnistArrays({ image: 'flat' });
  manualSeed(0);
  const model = mnistMlp({ dropout: 0.2 });
  if (existsSync(`${base}.json`)) {
    model.loadStateDict(loadStateDict(base));
    log(`loaded trained weights from ${base}.json/.bin`);
  } else {
    log('no trained weights yet: training the MLP (20 epochs)…');
    fit({
      model,
      optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
      loss: crossEntropy,
      train: new DataLoader(data.train.x, data.train.y, { batchSize: 64, seed: 0 }),
      epochs: 20,
      label: 'MLP',
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    saveStateDict(model.stateDict(), base);
    log(`saved weights to ${base}.json/.bin`);
  }
  model.eval();
  return { model, data };
}
