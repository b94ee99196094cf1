import ort from 'onnxruntime-node';
import { OnnxSession, type SessionOptions } from './session.js';

/** One sequence's keys and values: per layer, [heads, length, head_width] each, oldest position first. */
export interface SequenceCache {
  readonly length: number;
  readonly keys: readonly Float32Array[];
  readonly values: readonly Float32Array[];
}

/** One row of a batch: the new tokens of a sequence, after the positions its cache holds (none for a prefill). */
export interface CausalLmRow {
  tokens: readonly number[];
  cache?: SequenceCache;
}

export interface CausalLmStep {
  /** Per row, the logits of its new tokens: [tokens, vocab] row-major. */
  logits: Float32Array[];
  /** Per row, its cache extended by the new tokens (empty when the step was asked not to keep them). */
  caches: SequenceCache[];
}

/** The shape a decoder with past must have, as read from its inputs. */
export interface CausalLmShape {
  layers: number;
  heads: number;
  headWidth: number;
  vocabSize: number;
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

/**
 * A decoder-only language model exported with past keys and values (inputs input_ids, attention_mask, position_ids
 * and past_key_values.{i}.key/value; outputs logits and present.{i}.key/value, as Optimum exports them), run one
 * step at a time. Rows of a step may differ in cached length and in new tokens (a prefill beside decode steps):
 * they are left-padded into one batch, the mask hides the padding, and each row's cache comes back unpadded.
 */
export class CausalLm {
  private constructor(
    readonly session: OnnxSession,
    readonly shape: CausalLmShape,
  ) {}

  static async create(source: Uint8Array | string, options: SessionOptions = {}): Promise<CausalLm> {
    const session = await OnnxSession.create(source, options);
    try {
      return new CausalLm(session, shapeOf(session));
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /** A sequence with nothing cached. */
  emptyCache(): SequenceCache {
    const empty = Array.from({ length: this.shape.layers }, () => new Float32Array(0));
    return { length: 0, keys: empty, values: empty };
  }

  /** Runs one step; `keepCaches: false` skips copying the caches out (scoring text needs only the logits). */
  async step(rows: readonly CausalLmRow[], { keepCaches = true } = {}): Promise<CausalLmStep> {
    const { layers, heads, headWidth, vocabSize } = this.shape;
    if (rows.length === 0) throw new RangeError('CausalLm.step: no rows to run');
    rows.forEach((row, r) => {
      if (row.tokens.length === 0) throw new RangeError(`CausalLm.step: row ${r} has no new tokens`);
      for (const token of row.tokens)
        if (!(Number.isInteger(token) && token >= 0 && token < vocabSize))
          throw new RangeError(`CausalLm.step: row ${r} has token ${token}, outside 0..${vocabSize - 1}`);
    });
    const B = rows.length;
    const pastOf = rows.map((row) => row.cache?.length ?? 0);
    const newOf = rows.map((row) => row.tokens.length);
    const P = Math.max(...pastOf);
    const S = Math.max(...newOf);
    const total = P + S;
    const ids = new BigInt64Array(B * S);
    const positions = new BigInt64Array(B * S);
    const mask = new BigInt64Array(B * total);
    rows.forEach((row, r) => {
      const pad = S - newOf[r]!;
      row.tokens.forEach((token, t) => {
        ids[r * S + pad + t] = BigInt(token);
        positions[r * S + pad + t] = BigInt(pastOf[r]! + t);
      });
      mask.fill(1n, r * total + P - pastOf[r]!, r * total + P);
      mask.fill(1n, r * total + P + pad, (r + 1) * total);
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [B, S]),
      attention_mask: new ort.Tensor('int64', mask, [B, total]),
      position_ids: new ort.Tensor('int64', positions, [B, S]),
    };
    const rowBlock = headWidth; // floats per (head, position)
    for (let layer = 0; layer < layers; layer++) {
      for (const kind of ['key', 'value'] as const) {
        // Each row's cache right-aligned in P positions: [B, heads, P, head_width].
        const data = new Float32Array(B * heads * P * rowBlock);
        rows.forEach((row, r) => {
          const cached = row.cache;
          if (!cached || cached.length === 0) return;
          const source = (kind === 'key' ? cached.keys : cached.values)[layer]!;
          for (let h = 0; h < heads; h++) {
            const from = h * cached.length * rowBlock;
            const to = ((r * heads + h) * P + P - cached.length) * rowBlock;
            data.set(source.subarray(from, from + cached.length * rowBlock), to);
          }
        });
        feeds[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', data, [B, heads, P, headWidth]);
      }
    }
    const out = await this.session.run(feeds);
    const logits = out.logits!.data as Float32Array;
    const result: CausalLmStep = { logits: [], caches: [] };
    for (let r = 0; r < B; r++) {
      const pad = S - newOf[r]!;
      result.logits.push(logits.slice((r * S + pad) * vocabSize, (r + 1) * S * vocabSize));
      if (!keepCaches) continue;
      const length = pastOf[r]! + newOf[r]!;
      const take = (name: string) => {
        const present = out[name]!.data as Float32Array;
        const kept = new Float32Array(heads * length * rowBlock);
        for (let h = 0; h < heads; h++) {
          const base = (r * heads + h) * total;
          const at = h * length * rowBlock;
          // The real positions are the last pastOf[r] of the P cached ones and the last newOf[r] of the S new ones.
          const old = pastOf[r]! * rowBlock;
          kept.set(present.subarray((base + P - pastOf[r]!) * rowBlock, (base + P) * rowBlock), at);
          kept.set(present.subarray((base + P + pad) * rowBlock, (base + total) * rowBlock), at + old);
        }
        return kept;
      };
      result.caches.push({
        length,
        keys: Array.from({ length: layers }, (_, layer) => take(`present.${layer}.key`)),
        values: Array.from({ length: layers }, (_, layer) => take(`present.${layer}.value`)),
      });
    }
    return result;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Layers, heads and widths from the inputs' shapes, or an error naming what a decoder with past lacks. */
function shapeOf(session: OnnxSession): CausalLmShape {
  const names = new Set(session.inputs.map((i) => i.name));
  const missing = ['input_ids', 'attention_mask', 'position_ids'].filter((n) => !names.has(n));
  const pasts = session.inputs.filter((i) => PAST.test(i.name));
  const logits = session.outputs.find((o) => o.name === 'logits');
  if (missing.length > 0 || pasts.length === 0 || !logits)
    throw new TypeError(
      `CausalLm: the model is not a decoder with past keys and values (${[
        ...missing.map((n) => `no input ${n}`),
        ...(pasts.length === 0 ? ['no past_key_values.{i}.key/value inputs'] : []),
        ...(logits ? [] : ['no output logits']),
      ].join(', ')}); it has:\n${session.describe()}`,
    );
  const layers = pasts.length / 2;
  const [, heads, , headWidth] = pasts[0]!.shape;
  const vocabSize = logits.shape[2];
  for (let i = 0; i < layers; i++)
    for (const kind of ['key', 'value'])
      if (!names.has(`past_key_values.${i}.${kind}`))
        throw new TypeError(
          `CausalLm: input past_key_values.${i}.${kind} is missing (${layers} layers expected)`,
        );
  if (typeof heads !== 'number' || typeof headWidth !== 'number' || typeof vocabSize !== 'number')
    throw new TypeError(
      'CausalLm: heads, head width and vocabulary must be fixed dimensions of the past and logits shapes',
    );
  return { layers, heads, headWidth, vocabSize };
}
