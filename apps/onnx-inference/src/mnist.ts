import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadStateDict, manualSeed, saveStateDict } from '@mle/autograd';
import { fitMnist, mnistArrays, mnistMlp } from '@mle/autograd/mnist';

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
    fitMnist(model, data.train, { epochs: 20, label: 'MLP' });
    mkdirSync(ARTIFACTS, { recursive: true });
    saveStateDict(model.stateDict(), base);
    log(`saved weights to ${base}.json/.bin`);
  }
  model.eval();
  return { model, data };
}
