import type { Rng } from '@mle/tensor';

/** How the next token is chosen from a row of logits. */
export interface SamplerSettings {
  /** Divides the logits; 0 is greedy decoding (the most likely token, the lowest id on a tie). 1 by default. */
  temperature?: number;
  /** Sample only among the k most likely tokens (Fan et al., 2018). All by default. */
  topK?: number;
  /** Sample only among the fewest most likely tokens whose probabilities sum to at least p (Holtzman et al., 2020). */
  topP?: number;
  /**
   * CTRL's penalty (Keskar et al., 2019) on every token already in the context: its logit is divided by θ if
   * positive and multiplied by θ if negative. 1 (none) by default.
   */
  repetitionPenalty?: number;
  /** Seed of the draws: the same seed, context and logits give the same tokens. */
  seed?: number;
}

/**
 * The settings with their defaults, or a RangeError naming the first that is wrong and what it must be, prefixed by
 * `where` (the caller's name for itself).
 */
export function checkSampler(
  settings: SamplerSettings,
  vocabSize: number,
  where = 'sampling',
): Required<SamplerSettings> {
  const { temperature = 1, topK = vocabSize, topP = 1, repetitionPenalty = 1, seed = 0 } = settings;
  if (!(temperature >= 0 && Number.isFinite(temperature)))
    throw new RangeError(`${where}: temperature must be ≥ 0 (0 is greedy), got ${temperature}`);
  if (!(Number.isInteger(topK) && topK >= 1 && topK <= vocabSize))
    throw new RangeError(`${where}: topK must be an integer in 1..${vocabSize}, got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`${where}: topP must be in (0, 1], got ${topP}`);
  if (!(repetitionPenalty >= 1 && Number.isFinite(repetitionPenalty)))
    throw new RangeError(`${where}: repetitionPenalty must be ≥ 1, got ${repetitionPenalty}`);
  if (!Number.isInteger(seed)) throw new RangeError(`${where}: seed must be an integer, got ${seed}`);
  return { temperature, topK, topP, repetitionPenalty, seed };
}

/**
 * Draws the next token from one row of logits: repetition penalty, then temperature (or argmax), top-k, softmax,
 * top-p, and a draw from what is left. `logits` is overwritten by the penalty.
 */
export function sampleToken(
  logits: Float64Array | Float32Array,
  context: readonly number[],
  settings: Required<SamplerSettings>,
  rng: Rng,
): number {
  const { temperature, topK, topP, repetitionPenalty } = settings;
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
 * Ends generation once the decoded new text contains one of `sequences` (text, not ids: with BPE a stop string may
 * be split into tokens differently in context). `stop` answers for the tokens so far; `cut` gives the text before
 * the first stop sequence.
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
