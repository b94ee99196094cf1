import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStateDict, manualSeed, saveStateDict } from '@mle/autograd';
import { fitMnist, mnistArrays, mnistMlp } from '@mle/autograd/mnist';
import { recipeKey, replaceArtifacts } from '@mle/report';

export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** How the MLP is trained: the autograd demo's model and recipe (Adam 1e-3, batch 64, seed 0). */
export interface MlpRecipe {
  hidden: number;
  dropout: number;
  epochs: number;
  seed: number;
}

export const MLP_RECIPE: MlpRecipe = { hidden: 128, dropout: 0.2, epochs: 20, seed: 0 };

/** The packages whose code decides what training produces: a change to any of them is a new recipe. */
const TRAINING_CODE = ['@mle/autograd', '@mle/tensor', '@mle/datasets'] as const;

/** The key trained weights are saved under: the recipe and the training code's source (see @mle/report). */
export const mlpRecipeKey = (recipe: MlpRecipe): string =>
  recipeKey(recipe, fileURLToPath(new URL('..', import.meta.url)), TRAINING_CODE);

/**
 * The MLP trained by `recipe`, with its weights: loaded from `artifacts` when a run with the same recipe and the
 * same training code saved them, else trained now (~12 s for 20 epochs) and saved under the recipe's key (weights
 * saved under any other key are removed).
 */
export function trainedMnistMlp(
  log: (line: string) => void,
  options: { recipe?: MlpRecipe; artifacts?: string } = {},
) {
  const { recipe = MLP_RECIPE, artifacts = ARTIFACTS } = options;
  const key = mlpRecipeKey(recipe);
  const base = join(artifacts, `mnist-mlp-${key}`);
  const data = mnistArrays({ image: 'flat' });
  manualSeed(recipe.seed);
  const model = mnistMlp({ hidden: recipe.hidden, dropout: recipe.dropout });
  if (existsSync(`${base}.json`)) {
    model.loadStateDict(loadStateDict(base));
    log(`loaded trained weights from ${base}.json/.bin (recipe ${key})`);
  } else {
    log(`no weights for recipe ${key} yet: training the MLP (${recipe.epochs} epochs)…`);
    fitMnist(model, data.train, { epochs: recipe.epochs, label: 'MLP' });
    replaceArtifacts(artifacts, 'mnist-mlp-', key);
    saveStateDict(model.stateDict(), base);
    log(`saved weights to ${base}.json/.bin`);
  }
  model.eval();
  return { model, data };
}
