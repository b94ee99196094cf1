import type { CausalLm, SequenceCache } from '@mle/onnx-runtime';

/**
 * Greedy decoding through onnxruntime with the past keys and values, as `generate` with temperature 0 does it in
 * TypeScript: the most likely token (the lowest id on a tie), and once the sequence outgrows `contextLength` the
 * last `contextLength` tokens are run again from scratch (every position moves when the window slides).
 */
export async function onnxGreedy(
  lm: CausalLm,
  prompt: readonly number[],
  maxTokens: number,
  contextLength = Number.POSITIVE_INFINITY,
): Promise<number[]> {
  if (prompt.length === 0) throw new RangeError('onnxGreedy: the prompt is empty');
  const sequence = [...prompt];
  const tokens: number[] = [];
  let cache: SequenceCache | undefined;
  let pending: number[] = sequence.slice(-contextLength);
  while (tokens.length < maxTokens) {
    const step = await lm.step([{ tokens: pending, ...(cache ? { cache } : {}) }]);
    const logits = step.logits[0]!;
    const vocab = lm.shape.vocabSize;
    const last = logits.subarray(logits.length - vocab);
    let best = 0;
    for (let i = 1; i < vocab; i++) if (last[i]! > last[best]!) best = i;
    tokens.push(best);
    sequence.push(best);
    if (sequence.length > contextLength) {
      cache = undefined;
      pending = sequence.slice(-contextLength);
    } else {
      cache = step.caches[0]!;
      pending = [best];
    }
  }
  return tokens;
}
