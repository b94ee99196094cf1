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
  /** Whether the graph also gives the new positions' keys and values alone (new_key_values.{i}.key/value). */
  newKeyValues: boolean;
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
  const outputs = new Set(session.outputs.map((o) => o.name));
  const newKeyValues = Array.from({ length: layers }).every(
    (_, i) => outputs.has(`new_key_values.${i}.key`) && outputs.has(`new_key_values.${i}.value`),
  );
  return { layers, heads, headWidth, vocabSize, newKeyValues };
}

/** One row of a slot step: new tokens for the sequence in `slot`. */
export interface SlotRow {
  slot: number;
  tokens: readonly number[];
}

/**
 * The keys and values of up to `slots` sequences, each in memory of its own of `capacity` positions, allocated once
 * (as in-flight batching keeps them: TensorRT-LLM's static KV buffers). A step over slots that hold a past passes the
 * whole buffer as `past_key_values` (batch row b is slot b, `capacity` positions, the mask marking what each slot
 * holds) without copying it, asks onnxruntime for the new positions' keys and values only, and appends them to each
 * slot: a step's copies are of the new positions, not of the caches. A step of fresh sequences only (prefills) runs
 * with no past at all. Needs a graph with new_key_values outputs (exportGptOnnx writes them).
 */
export class CausalLmSlots {
  private readonly keys: Float32Array[];
  private readonly values: Float32Array[];
  private readonly lengths: Int32Array;

  constructor(
    readonly lm: CausalLm,
    readonly slots: number,
    readonly capacity: number,
  ) {
    const { layers, heads, headWidth, newKeyValues } = lm.shape;
    if (!newKeyValues)
      throw new TypeError(
        'CausalLmSlots: the model has no new_key_values.{i}.key/value outputs to append from',
      );
    for (const [name, value] of [
      ['slots', slots],
      ['capacity', capacity],
    ] as const)
      if (!(Number.isInteger(value) && value >= 1))
        throw new RangeError(`CausalLmSlots: ${name} must be a positive integer, got ${value}`);
    const size = slots * heads * capacity * headWidth;
    this.keys = Array.from({ length: layers }, () => new Float32Array(size));
    this.values = Array.from({ length: layers }, () => new Float32Array(size));
    this.lengths = new Int32Array(slots);
  }

  /** Positions the slot holds. */
  length(slot: number): number {
    return this.lengths[slot]!;
  }

  /** Empties a slot; its next row starts a new sequence. */
  reset(slot: number): void {
    this.lengths[slot] = 0;
  }

  /** Runs one step; returns, per row, the logits after its last new token ([vocab]). */
  async step(rows: readonly SlotRow[]): Promise<Float32Array[]> {
    const { layers, heads, headWidth: D, vocabSize } = this.lm.shape;
    if (rows.length === 0) throw new RangeError('CausalLmSlots.step: no rows to run');
    const seen = new Set<number>();
    rows.forEach((row, r) => {
      if (!(Number.isInteger(row.slot) && row.slot >= 0 && row.slot < this.slots) || seen.has(row.slot))
        throw new RangeError(
          `CausalLmSlots.step: row ${r} has slot ${row.slot}; slots are distinct integers in 0..${this.slots - 1}`,
        );
      seen.add(row.slot);
      if (row.tokens.length === 0) throw new RangeError(`CausalLmSlots.step: row ${r} has no new tokens`);
      if (this.lengths[row.slot]! + row.tokens.length > this.capacity)
        throw new RangeError(
          `CausalLmSlots.step: slot ${row.slot} holds ${this.lengths[row.slot]} positions; ${row.tokens.length} more exceed its capacity of ${this.capacity}`,
        );
      for (const token of row.tokens)
        if (!(Number.isInteger(token) && token >= 0 && token < vocabSize))
          throw new RangeError(
            `CausalLmSlots.step: row ${r} has token ${token}, outside 0..${vocabSize - 1}`,
          );
    });
    const fresh = rows.every((row) => this.lengths[row.slot] === 0);
    // Fresh sequences are packed in row order with no past; otherwise batch row b is slot b.
    const B = fresh ? rows.length : Math.max(...rows.map((r) => r.slot)) + 1;
    const P = fresh ? 0 : this.capacity;
    const S = Math.max(...rows.map((r) => r.tokens.length));
    const ids = new BigInt64Array(B * S);
    const positions = new BigInt64Array(B * S);
    const mask = new BigInt64Array(B * (P + S));
    const at = rows.map((row, r) => (fresh ? r : row.slot));
    rows.forEach((row, r) => {
      const b = at[r]!;
      const past = this.lengths[row.slot]!;
      const pad = S - row.tokens.length;
      row.tokens.forEach((token, t) => {
        ids[b * S + pad + t] = BigInt(token);
        positions[b * S + pad + t] = BigInt(past + t);
      });
      mask.fill(1n, b * (P + S), b * (P + S) + (fresh ? 0 : past));
      mask.fill(1n, b * (P + S) + P + pad, (b + 1) * (P + S));
    });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [B, S]),
      attention_mask: new ort.Tensor('int64', mask, [B, P + S]),
      position_ids: new ort.Tensor('int64', positions, [B, S]),
    };
    const pastSize = B * heads * P * D;
    for (let layer = 0; layer < layers; layer++) {
      feeds[`past_key_values.${layer}.key`] = new ort.Tensor(
        'float32',
        this.keys[layer]!.subarray(0, pastSize),
        [B, heads, P, D],
      );
      feeds[`past_key_values.${layer}.value`] = new ort.Tensor(
        'float32',
        this.values[layer]!.subarray(0, pastSize),
        [B, heads, P, D],
      );
    }
    const wanted = [
      'logits',
      ...Array.from({ length: layers }, (_, i) => [
        `new_key_values.${i}.key`,
        `new_key_values.${i}.value`,
      ]).flat(),
    ];
    const out = await this.lm.session.run(feeds, wanted);
    // Append each row's new positions (the last tokens.length of the S computed) to its slot.
    for (let layer = 0; layer < layers; layer++) {
      for (const [kind, memory] of [
        ['key', this.keys[layer]!],
        ['value', this.values[layer]!],
      ] as const) {
        const added = out[`new_key_values.${layer}.${kind}`]!.data as Float32Array;
        rows.forEach((row, r) => {
          const b = at[r]!;
          const n = row.tokens.length;
          for (let h = 0; h < heads; h++) {
            const from = ((b * heads + h) * S + S - n) * D;
            memory.set(
              added.subarray(from, from + n * D),
              ((row.slot * heads + h) * this.capacity + this.lengths[row.slot]!) * D,
            );
          }
        });
      }
    }
    for (const row of rows) this.lengths[row.slot]! += row.tokens.length;
    const logits = out.logits!.data as Float32Array;
    return rows.map((_, r) => {
      const end = (at[r]! * S + S) * vocabSize;
      return logits.slice(end - vocabSize, end);
    });
  }
}
