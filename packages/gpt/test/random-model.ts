import { type GPT, type GptConfig, type PositionScheme, randomGpt } from '../src/index.js';

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

/** A model in evaluation mode with every weight N(0, std²): see randomGpt. */
export function randomModel(config: GptConfig, seed: number, std = 0.3): GPT {
  return randomGpt(config, seed, std);
}
