import { globalRng, manualSeed } from '@mle/autograd';
import type { GptConfig } from '../model/config.js';
import { GPT } from '../model/gpt.js';

/**
 * A model in evaluation mode whose every parameter, norm scales and biases too, is drawn from N(0, std²) under
 * `seed`: no term of the forward pass hides behind an init of ones and zeros, and next-token distributions are far
 * from uniform, so an engine running the same weights (onnxruntime, a server) can be checked token for token
 * without near-ties deciding the greedy choice.
 */
export function randomGpt(config: GptConfig, seed: number, std = 0.3): GPT {
  manualSeed(seed);
  const model = new GPT(config);
  for (const p of model.parameters()) p.value.assign(globalRng().normal([...p.shape], 0, std));
  return model.eval();
}
