import { noGrad } from '@mle/autograd';
import * as T from '@mle/tensor';
import type { GPT } from '../model/gpt.js';
import { KvCache } from '../model/kv-cache.js';

/**
 * The logits of the next token for a batch of equally long sequences, step after step, with or without a KV cache.
 * The model sees the last `contextLength` tokens of each sequence, as nanoGPT's generate crops them. With the cache,
 * a step that adds one token to each row runs the model on that token alone; a first step, a reordering the cache
 * cannot follow, or a window that has started to slide (every position would move) runs the whole window again,
 * which is exactly what the recomputing path does every step.
 */
export class NextToken {
  private cache: KvCache | null = null;

  constructor(
    readonly model: GPT,
    readonly useCache: boolean,
  ) {}

  /** One row of logits (a copy, float64) per sequence. */
  logits(sequences: readonly (readonly number[])[]): Float64Array[] {
    const length = sequences[0]!.length;
    if (sequences.some((s) => s.length !== length))
      throw new RangeError('NextToken: every sequence of a batch must have the same length');
    const { contextLength, vocabSize } = this.model.config;
    const batch = sequences.length;
    const incremental =
      this.useCache &&
      this.cache !== null &&
      this.cache.batch === batch &&
      this.cache.length === length - 1 &&
      length <= contextLength;
    let input: number[][];
    if (incremental) input = sequences.map((s) => [s[length - 1]!]);
    else {
      input = sequences.map((s) => s.slice(-contextLength));
      this.cache = this.useCache && length <= contextLength ? new KvCache(this.model.config, batch) : null;
    }
    const steps = input[0]!.length;
    // Decoding is evaluation: dropout off for the call, the model's own mode restored after it.
    const training = this.model.training;
    this.model.eval();
    let logits: T.TypedArray;
    try {
      logits = noGrad(() =>
        this.model.forward(T.array(input, 'int32'), this.cache ?? undefined),
      ).value.toReadonlyTypedArray();
    } finally {
      this.model.train(training);
    }
    return Array.from({ length: batch }, (_, b) => {
      const start = (b * steps + steps - 1) * vocabSize;
      return Float64Array.from(logits.subarray(start, start + vocabSize));
    });
  }

  /** Row r of the next step continues row rows[r] of this one (beam search); the cache follows. */
  reorder(rows: readonly number[]): void {
    this.cache?.reorder(rows);
  }
}
