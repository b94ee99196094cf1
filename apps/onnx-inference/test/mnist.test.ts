import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type MlpRecipe, mlpRecipeKey, trainedMnistMlp } from '../src/mnist.js';

const scratch = mkdtempSync(join(tmpdir(), 'mle-onnx-inference-weights-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('saved weights are reused only for the same recipe: a changed recipe trains anew and replaces them', () => {
  const small: MlpRecipe = { hidden: 8, dropout: 0, epochs: 1, seed: 0 };
  const run = (recipe: MlpRecipe) => {
    const lines: string[] = [];
    const { model } = trainedMnistMlp((line) => lines.push(line), { recipe, artifacts: scratch });
    const weights = Array.from(model.stateDict().values(), (t) => Array.from(t.toTypedArray()));
    return { said: lines[0]!, weights };
  };
  const first = run(small);
  expect(first.said).toMatch(/^no weights for recipe [0-9a-f]{16} yet: training the MLP \(1 epochs\)/);
  const again = run(small);
  expect(again.said).toMatch(/^loaded trained weights from /);
  expect(again.weights).toEqual(first.weights);

  const changed = { ...small, seed: 1 };
  expect(mlpRecipeKey(changed)).not.toBe(mlpRecipeKey(small));
  expect(run(changed).said).toMatch(/^no weights for recipe [0-9a-f]{16} yet/);
  expect(readdirSync(scratch).sort()).toEqual([
    `mnist-mlp-${mlpRecipeKey(changed)}.bin`,
    `mnist-mlp-${mlpRecipeKey(changed)}.json`,
  ]);
});
