import { Rng } from '@mle/tensor';
import type { GPT } from '../model/gpt.js';
import { NextToken } from './next-token.js';

export interface SamplingOptions {
  /** New tokens to generate at most. */
  maxTokens: number;
  /** Divides the logits; 0 is greedy decoding (the most likely token, the lowest id on a tie). 1 by default. */
  temperature?: number;
  /** Sample only among the k most likely tokens (Fan et al., 2018). */
  topK?: number;
  /** Sample only among the fewest most likely tokens whose probabilities sum to at least p (Holtzman et al., 2020). */
  topP?: number;
  /**
   * CTRL's penalty (Keskar et al., 2019) on every token already in the context: its logit is divided by θ if
   * positive and multiplied by θ if negative. 1 (none) by default.
   */
  repetitionPenalty?: number;
  /** Called with the tokens generated so far after each one; true ends generation ("stop"). */
  stop?: (generated: readonly number[]) => boolean;
  /** Seed of the sampler: the same seed, prompt and model give the same tokens. */
  seed?: number;
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
  const {
    maxTokens,
    temperature = 1,
    topK = vocabSize,
    topP = 1,
    repetitionPenalty = 1,
    seed = 0,
    cache = true,
  } = options;
  if (!(Number.isInteger(maxTokens) && maxTokens >= 0))
    throw new RangeError(`generate: maxTokens must be a non-negative integer, got ${maxTokens}`);
  if (!(temperature >= 0 && Number.isFinite(temperature)))
    throw new RangeError(`generate: temperature must be ≥ 0 (0 is greedy), got ${temperature}`);
  if (!(Number.isInteger(topK) && topK >= 1 && topK <= vocabSize))
    throw new RangeError(`generate: topK must be an integer in 1..${vocabSize}, got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`generate: topP must be in (0, 1], got ${topP}`);
  if (!(repetitionPenalty >= 1 && Number.isFinite(repetitionPenalty)))
    throw new RangeError(`generate: repetitionPenalty must be ≥ 1, got ${repetitionPenalty}`);
  return { maxTokens, temperature, topK, topP, repetitionPenalty, seed, cache };
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
 * Draws the next token from one row of logits: repetition penalty, then temperature (or argmax), top-k, softmax,
 * top-p, and a draw from what is left. `logits` is overwritten.
 */
export function sampleToken(
  logits: Float64Array,
  context: readonly number[],
  options: Required<Omit<SamplingOptions, 'stop'>>,
  rng: Rng,
): number {
  const { temperature, topK, topP, repetitionPenalty } = options;
  if (repetitionPenalty !== 1) {
    for (const id of new Set(context))
      logits[id] = logits[id]! > 0 ? logits[id]! / repetitionPenalty : logits[id]! * repetitionPenalty;
  }
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  // Candidates by falling logit (ties by id), cut to the k best.
  const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const kept = order.slice(0, topK);
  const max = logits[kept[0]!]!;
  const weights = kept.map((id) => Math.exp((logits[id]! - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let count = 0;
  let mass = 0;
  while (count < kept.length && (count === 0 || mass < topP)) mass += weights[count++]! / total;
  let u = rng.nextFloat() * mass * total;
  for (let i = 0; i < count - 1; i++) {
    u -= weights[i]!;
    if (u < 0) return kept[i]!;
  }
  return kept[count - 1]!;
}

/**
 * A `stop` callback that ends generation once the decoded new text contains one of `sequences` (text, not ids:
 * with BPE a stop string may be split into tokens differently in context). `cut` gives the text before it.
 */
export function stopSequences(
  decode: (ids: readonly number[]) => string,
  sequences: readonly string[],
): { stop: (generated: readonly number[]) => boolean; cut: (text: string) => string } {
  if (sequences.length === 0 || sequences.some((s) => s.length === 0))
    throw new RangeError('stopSequences: give at least one non-empty stop sequence');
  const first = (text: string) => Math.min(...sequences.map((s) => text.indexOf(s)).filter((i) => i >= 0));
  return {
    stop: (generated) => Number.isFinite(first(decode(generated))),
    cut: (text) => {
      const at = first(text);
      return Number.isFinite(at) ? text.slice(0, at) : text;
    },
  };
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
