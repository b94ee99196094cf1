import { noGrad } from '@mle/autograd';
import {
  GraphBuilder,
  officialCheck,
  officialCheckerPython,
  quantizeDynamicInt8,
  quantizeMatMulNBits,
} from '@mle/onnx';
import { CausalLm, CausalLmSlots, readModel } from '@mle/onnx-runtime';
import * as T from '@mle/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { exportGptOnnx } from '../src/deploy/export-onnx.js';
import { onnxGreedy } from '../src/deploy/onnx-generate.js';
import { GPT, generate, KvCache } from '../src/index.js';
import { randomModel, SCHEMES, tinyConfig } from './random-model.js';

const sessions: CausalLm[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

async function exported(model: GPT): Promise<CausalLm> {
  const lm = await CausalLm.create(exportGptOnnx(model));
  sessions.push(lm);
  return lm;
}

/** The largest |a − b| over two arrays of equal length. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const tsLogits = (model: GPT, ids: number[], cache?: KvCache) =>
  noGrad(() => model.forward(T.array([ids], 'int32'), cache)).value.toTypedArray();

describe.each(SCHEMES)('the GPT in onnxruntime, %s positions', (positions) => {
  // Context 80: a prompt of 8 and 64 decode steps fit the learned table too.
  const config = tinyConfig(positions, { contextLength: 80 });
  const model = randomModel(config, 7);
  const prompt = [3, 1, 4, 1, 5, 9, 2, 6];

  it('prefill: the logits of every prompt position equal the TypeScript model within 1e-4', async () => {
    const lm = await exported(model);
    const { logits } = await lm.step([{ tokens: prompt }]);
    expect(maxDifference(logits[0]!, tsLogits(model, prompt))).toBeLessThan(1e-4);
  });

  it('64 decode steps through the past keys and values: every step equals the TypeScript KV cache within 1e-4', async () => {
    const lm = await exported(model);
    const cache = new KvCache(config, 1);
    let step = await lm.step([{ tokens: prompt }]);
    tsLogits(model, prompt, cache);
    let worst = 0;
    for (let i = 0; i < 64; i++) {
      const token = (i * 7 + 3) % config.vocabSize; // a fixed sequence, not the model's own choice
      step = await lm.step([{ tokens: [token], cache: step.caches[0]! }]);
      worst = Math.max(worst, maxDifference(step.logits[0]!, tsLogits(model, [token], cache)));
    }
    expect(step.caches[0]!.length).toBe(prompt.length + 64);
    expect(worst).toBeLessThan(1e-4);
  });

  it('greedy generation through onnxruntime equals generation in TypeScript token for token', async () => {
    const lm = await exported(model);
    const ours = generate(model, prompt, { maxTokens: 64, temperature: 0 }).tokens;
    expect(await onnxGreedy(lm, prompt, 64)).toEqual(ours);
  });

  it('rows of different lengths share a batch: each row equals the same row run alone', async () => {
    const lm = await exported(model);
    const a = await lm.step([{ tokens: [1, 2, 3, 4, 5] }]);
    const b = await lm.step([{ tokens: [6, 7] }]);
    // One batch: a decode step of row a beside a prefill of a third sequence and a decode step of row b.
    const mixed = await lm.step([
      { tokens: [8], cache: a.caches[0]! },
      { tokens: [9, 10, 0] },
      { tokens: [2], cache: b.caches[0]! },
    ]);
    const alone = [
      await lm.step([{ tokens: [8], cache: a.caches[0]! }]),
      await lm.step([{ tokens: [9, 10, 0] }]),
      await lm.step([{ tokens: [2], cache: b.caches[0]! }]),
    ];
    alone.forEach((single, r) => {
      expect(maxDifference(mixed.logits[r]!, single.logits[0]!)).toBeLessThan(1e-5);
      expect(mixed.caches[r]!.length).toBe(single.caches[0]!.length);
      single.caches[0]!.keys.forEach((k, layer) => {
        expect(maxDifference(mixed.caches[r]!.keys[layer]!, k)).toBeLessThan(1e-5);
        expect(maxDifference(mixed.caches[r]!.values[layer]!, single.caches[0]!.values[layer]!)).toBeLessThan(
          1e-5,
        );
      });
    });
  });
});

describe.each(SCHEMES)('sequences in slots of fixed memory (CausalLmSlots), %s positions', (positions) => {
  const config = tinyConfig(positions, { contextLength: 80 });
  const model = randomModel(config, 9);
  const sequences = [
    [1, 2, 3],
    [4, 5, 6, 7, 8, 9],
    [10, 0],
  ];

  it('prefills in one step, then decodes slots with holes between them: each equals its TypeScript KV cache', async () => {
    const lm = await exported(model);
    const slots = new CausalLmSlots(lm, 6, 80);
    const placed = [0, 2, 5];
    const caches = sequences.map(() => new KvCache(config, 1));
    let logits = await slots.step(sequences.map((tokens, i) => ({ slot: placed[i]!, tokens })));
    let worst = 0;
    const check = (i: number, tokens: number[]) => {
      const expected = tsLogits(model, tokens, caches[i]);
      worst = Math.max(
        worst,
        maxDifference(logits[i]!, expected.subarray(expected.length - config.vocabSize)),
      );
    };
    sequences.forEach((tokens, i) => check(i, tokens));
    for (let step = 0; step < 20; step++) {
      const next = sequences.map((_, i) => (step * 3 + i) % config.vocabSize);
      logits = await slots.step(placed.map((slot, i) => ({ slot, tokens: [next[i]!] })));
      next.forEach((token, i) => check(i, [token]));
    }
    expect(placed.map((slot) => slots.length(slot))).toEqual([23, 26, 22]);
    expect(worst).toBeLessThan(1e-4);
  });

  it('a freed slot takes a new sequence (its prefill) in the same step as the others decode', async () => {
    const lm = await exported(model);
    const slots = new CausalLmSlots(lm, 2, 80);
    await slots.step([
      { slot: 0, tokens: [1, 2, 3] },
      { slot: 1, tokens: [4, 5] },
    ]);
    slots.reset(1);
    const [decoded, prefilled] = await slots.step([
      { slot: 0, tokens: [6] },
      { slot: 1, tokens: [7, 8, 9, 10] },
    ]);
    const full = (tokens: number[]) => {
      const all = tsLogits(model, tokens);
      return all.subarray(all.length - config.vocabSize);
    };
    expect(maxDifference(decoded!, full([1, 2, 3, 6]))).toBeLessThan(1e-4);
    expect(maxDifference(prefilled!, full([7, 8, 9, 10]))).toBeLessThan(1e-4);
  });

  it('greedy generation through slots equals generation in TypeScript token for token', async () => {
    const lm = await exported(model);
    const slots = new CausalLmSlots(lm, 1, 80);
    const prompt = [3, 1, 4, 1, 5];
    const ours: number[] = [];
    let logits = (await slots.step([{ slot: 0, tokens: prompt }]))[0]!;
    for (let i = 0; i < 64; i++) {
      let best = 0;
      for (let v = 1; v < logits.length; v++) if (logits[v]! > logits[best]!) best = v;
      ours.push(best);
      if (i < 63) logits = (await slots.step([{ slot: 0, tokens: [best] }]))[0]!;
    }
    expect(ours).toEqual(generate(model, prompt, { maxTokens: 64, temperature: 0 }).tokens);
  });
});

describe('CausalLmSlots refuses', () => {
  it('a repeated slot, one out of range, and more positions than a slot holds', async () => {
    const lm = await exported(randomModel(tinyConfig('rope'), 4));
    const slots = new CausalLmSlots(lm, 2, 8);
    await expect(
      slots.step([
        { slot: 1, tokens: [1] },
        { slot: 1, tokens: [2] },
      ]),
    ).rejects.toThrow('row 1 has slot 1; slots are distinct integers in 0..1');
    await expect(slots.step([{ slot: 2, tokens: [1] }])).rejects.toThrow('row 0 has slot 2');
    await slots.step([{ slot: 0, tokens: [1, 2, 3, 4, 5, 6] }]);
    await expect(slots.step([{ slot: 0, tokens: [1, 2, 3] }])).rejects.toThrow(
      'slot 0 holds 6 positions; 3 more exceed its capacity of 8',
    );
    expect(() => new CausalLmSlots(lm, 0, 8)).toThrow('slots must be a positive integer, got 0');
  });
});

describe('the exported graph', () => {
  it('has the decoder-with-past signature, with symbolic batch and sequence axes', () => {
    const bytes = exportGptOnnx(randomModel(tinyConfig('rope', { bias: false }), 1));
    const summary = readModel(bytes);
    const line = (v: { name: string; dtype: string; shape: (number | string | null)[] }) =>
      `${v.name}: ${v.dtype} [${v.shape.join(', ')}]`;
    expect(summary.inputs.map(line)).toEqual([
      'input_ids: int64 [batch, sequence]',
      'attention_mask: int64 [batch, total_sequence]',
      'position_ids: int64 [batch, sequence]',
      'past_key_values.0.key: float32 [batch, 2, past_sequence, 8]',
      'past_key_values.0.value: float32 [batch, 2, past_sequence, 8]',
      'past_key_values.1.key: float32 [batch, 2, past_sequence, 8]',
      'past_key_values.1.value: float32 [batch, 2, past_sequence, 8]',
    ]);
    expect(summary.outputs.map(line)).toEqual([
      'present.0.key: float32 [batch, 2, total_sequence, 8]',
      'present.0.value: float32 [batch, 2, total_sequence, 8]',
      'new_key_values.0.key: float32 [batch, 2, sequence, 8]',
      'new_key_values.0.value: float32 [batch, 2, sequence, 8]',
      'present.1.key: float32 [batch, 2, total_sequence, 8]',
      'present.1.value: float32 [batch, 2, total_sequence, 8]',
      'new_key_values.1.key: float32 [batch, 2, sequence, 8]',
      'new_key_values.1.value: float32 [batch, 2, sequence, 8]',
      'logits: float32 [batch, sequence, 11]',
    ]);
  });

  it('CausalLm names what a model lacks to be a decoder with past, and refuses rows it cannot run', async () => {
    const g = new GraphBuilder();
    const x = g.addInput('input_ids', 'INT64', ['batch', 'sequence']);
    g.addOutput(g.addNode('Identity', [x], { outputs: ['y'] })[0]!, 'INT64', ['batch', 'sequence']);
    await expect(CausalLm.create(g.toBytes())).rejects.toThrow(
      'not a decoder with past keys and values (no input attention_mask, no input position_ids, no past_key_values.{i}.key/value inputs, no output logits)',
    );
    const lm = await exported(randomModel(tinyConfig('alibi'), 2));
    await expect(lm.step([])).rejects.toThrow('no rows to run');
    await expect(lm.step([{ tokens: [] }])).rejects.toThrow('row 0 has no new tokens');
    await expect(lm.step([{ tokens: [1] }, { tokens: [11] }])).rejects.toThrow(
      'row 1 has token 11, outside 0..10',
    );
  });

  it('refuses positions a learned table does not have', () => {
    expect(() => exportGptOnnx(new GPT(tinyConfig('learned')), { maxPositions: 9 })).toThrow(
      'learned positions stop at the context length 8, so maxPositions cannot be 9',
    );
  });
});

// The official checker needs Python's onnx (Debian's python3-onnx, which .ci/run installs); CI must run it.
const python = officialCheckerPython();
describe.runIf(python !== undefined || process.env.CI)('the official ONNX checker', () => {
  it.each(SCHEMES)(
    '%s positions: float32 and int8 pass check_model(full_check) and every node output gets a shape',
    (positions) => {
      const float32 = exportGptOnnx(randomModel(tinyConfig(positions), 1));
      for (const bytes of [float32, quantizeDynamicInt8(float32).bytes]) {
        const result = officialCheck(bytes, python);
        expect(result.checker).toBe('ok');
        expect(result.inferenceError).toBeUndefined();
        expect(result.uninferred).toEqual([]);
        expect(result.outputs.logits).toEqual(['batch', 'sequence', 11]);
        expect(result.outputs['present.1.value']).toEqual(['batch', 2, 'total_sequence', 8]);
      }
    },
  );

  it('int4: passes the checker; shapes stop at MatMulNBits, an operator the onnx package has no schema for', () => {
    const float32 = exportGptOnnx(randomModel(tinyConfig('rope'), 1));
    const result = officialCheck(
      quantizeMatMulNBits(float32, { blockSize: 16, symmetric: true }).bytes,
      python,
    );
    expect(result.checker).toBe('ok');
    expect(result.uninferred.length).toBeGreaterThan(0);
  });

  it('fails a graph that reads a value nothing defines (so the passes above can fail)', () => {
    const g = new GraphBuilder();
    const x = g.addInput('x', 'FLOAT', [2]);
    g.addOutput(g.addNode('Add', [x, 'undefined_value'], { outputs: ['y'] })[0]!, 'FLOAT', [2]);
    expect(officialCheck(g.toBytes(), python).checker).toContain('undefined_value');
  });
});
