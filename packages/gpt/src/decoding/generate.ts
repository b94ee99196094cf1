import { checkSampler, type SamplerSettings, sampleToken } from '@mle/decoding';
import { Rng } from '@mle/tensor';
import type { GPT } from '../model/gpt.js';
import { NextToken } from './next-token.js';

export interface SamplingOptions extends SamplerSettings {
  /** New tokens to generate at most. */
  maxTokens: number;
  /** Called with the tokens generated so far after each one; true ends generation ("stop"). */
  stop?: (generated: readonly number[]) => boolean;
  /** Keep keys and values between steps (true by default); false recomputes the whole window every step. */
  cache?: boolean;
}

export interface Generation {
  /** The new tokens, without the prompt. */
  tokens: number[];
  finishReason: 'length' | 'stop';
  /** Tokens cut from the front of a prompt longer than the context; the model never saw them. */
  promptTruncated: number;
}

/** Checks the options and returns them with defaults, or an error naming the option and what it must be. */
export function checkSampling(
  options: SamplingOptions,
  vocabSize: number,
): Required<Omit<SamplingOptions, 'stop'>> {
  const { maxTokens, cache = true } = options;
  if (!(Number.isInteger(maxTokens) && maxTokens >= 0))
    throw new RangeError(`generate: maxTokens must be a non-negative integer, got ${maxTokens}`);
  return { ...checkSampler(options, vocabSize, 'generate'), maxTokens, cache };
}

/** A prompt the model can start from: non-empty, and its last `contextLength` tokens. */
export function checkPrompt(
  prompt: readonly number[],
  contextLength: number,
): { window: number[]; truncated: number } {
  if (prompt.length === 0)
    throw new RangeError('generate: the prompt is empty; give at least one token to continue from');
  const truncated = Math.max(0, prompt.length - contextLength);
  return { window: prompt.slice(truncated), truncated };
}

/**
 * Continues `prompt` by up to `maxTokens` tokens. A prompt longer than the context is cut from the left (as nanoGPT
 * crops its input) and `promptTruncated` says by how much; an empty prompt is an error.
 */
export function generate(model: GPT, prompt: readonly number[], options: SamplingOptions): Generation {
  const settings = checkSampling(options, model.config.vocabSize);
  const { window, truncated } = checkPrompt(prompt, model.config.contextLength);
  const rng = new Rng(settings.seed);
  const next = new NextToken(model, settings.cache);
  const sequence = [...window];
  const tokens: number[] = [];
  while (tokens.length < settings.maxTokens) {
    const [logits] = next.logits([sequence]);
    const token = sampleToken(logits!, sequence.slice(-model.config.contextLength), settings, rng);
    sequence.push(token);
    tokens.push(token);
    if (options.stop?.(tokens)) return { tokens, finishReason: 'stop', promptTruncated: truncated };
  }
  return { tokens, finishReason: 'length', promptTruncated: truncated };
}
