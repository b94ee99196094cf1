import { globalRng, manualSeed } from '@mle/autograd';
import { GPT, type GptConfig, type PositionScheme } from '../src/index.js';

export const SCHEMES: PositionScheme[] = ['learned', 'rope', 'alibi'];

/** A small config for tests: 2 layers, 2 heads, width 16, biases on, no dropout. */
export const tinyConfig = (positions: PositionScheme, extra: Partial<GptConfig> = {}): GptConfig => ({
  vocabSize: 11,
  contextLength: 8,
  layers: 2,
  heads: 2,
  width: 16,
  dropout: 0,
  bias: true,
  positions,
  ...extra,
});

/**
 * A model in evaluation mode whose every parameter is drawn from N(0, std²), norm scales and biases too, so no term
 * of the forward pass hides behind an init of ones and zeros, and next-token distributions are far from uniform.
 */
export function randomModel(config: GptConfig, seed: number, std = 0.3): GPT {
  manualSeed(seed);
  const model = new GPT(config);
  for (const p of model.parameters()) p.value.assign(globalRng().normal([...p.shape], 0, std));
  return model.eval();
}
