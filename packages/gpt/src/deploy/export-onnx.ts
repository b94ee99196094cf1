/**
 * The GPT as one ONNX graph in the shape deployments use (Hugging Face Optimum's decoder with past): the same graph
 * runs the prefill (no past, the whole prompt) and every decode step (the past keys and values, one new token).
 *
 *   inputs   input_ids        int64 [batch, sequence]
 *            attention_mask   int64 [batch, past_sequence + sequence]   1 for a real position, 0 for padding
 *            position_ids     int64 [batch, sequence]                   the position of each new token
 *            past_key_values.{i}.key / .value   float32 [batch, heads, past_sequence, head_width]
 *   outputs  logits           float32 [batch, sequence, vocab]
 *            present.{i}.key / .value           float32 [batch, heads, past_sequence + sequence, head_width]
 *            new_key_values.{i}.key / .value    float32 [batch, heads, sequence, head_width]
 *
 * The last pair is the new positions' keys and values alone: a server that keeps each sequence's cache in memory of
 * its own appends them there, and asks onnxruntime for them instead of the whole present (which it would copy out).
 *
 * The mask and the positions let rows of different lengths share a batch (left-padded), which is what a server
 * batching requests needs: a key is visible to a query when it is a real position and not after the query's
 * position; ALiBi's penalty is the distance between the two positions, which padding does not change.
 */
import { attr, GraphBuilder, geluNodes } from '@mle/onnx';
import * as T from '@mle/tensor';
import type { GPT } from '../model/gpt.js';
import { alibiSlopes } from '../model/positions.js';

export interface GptOnnxOptions {
  /**
   * Positions the graph can address (the rows of the rotary table). Defaults to the context length; learned
   * positions cannot go past it.
   */
  maxPositions?: number;
  /** Stored in the model's metadata_props (the tokenizer's alphabet, the recipe's key, …). */
  properties?: Record<string, string>;
}

/** The names of the graph's inputs and outputs, for whoever feeds it. */
export const GPT_ONNX = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  positionIds: 'position_ids',
  logits: 'logits',
  pastKey: (layer: number) => `past_key_values.${layer}.key`,
  pastValue: (layer: number) => `past_key_values.${layer}.value`,
  presentKey: (layer: number) => `present.${layer}.key`,
  presentValue: (layer: number) => `present.${layer}.value`,
  newKey: (layer: number) => `new_key_values.${layer}.key`,
  newValue: (layer: number) => `new_key_values.${layer}.value`,
};

/** A masked attention score: far below any real one, and finite, so a row with nothing visible stays a number. */
const MASKED_SCORE = -1e9;

export function exportGptOnnx(model: GPT, options: GptOnnxOptions = {}): Uint8Array {
  const { config } = model;
  const { vocabSize, contextLength, layers, heads, width, positions } = config;
  const headWidth = width / heads;
  const maxPositions = options.maxPositions ?? contextLength;
  if (!(Number.isInteger(maxPositions) && maxPositions > 0))
    throw new RangeError(`exportGptOnnx: maxPositions must be a positive integer, got ${maxPositions}`);
  if (positions === 'learned' && maxPositions > contextLength)
    throw new RangeError(
      `exportGptOnnx: learned positions stop at the context length ${contextLength}, so maxPositions cannot be ${maxPositions}`,
    );
  const g = new GraphBuilder('gpt');
  const op = (type: string, inputs: string[], attributes = {}) => g.addNode(type, inputs, { attributes })[0]!;
  const float = (name: string, value: T.NDArray) => g.addInitializer(name, value.astype('float32'));
  const int64 = (name: string, values: number[], dims = [values.length]) =>
    g.addInitializer(name, { elemType: 'INT64', dims, data: BigInt64Array.from(values, BigInt) });
  const weightT = (name: string, weight: T.NDArray) => float(name, weight.T.contiguous());

  const ids = g.addInput(GPT_ONNX.inputIds, 'INT64', ['batch', 'sequence']);
  const mask = g.addInput(GPT_ONNX.attentionMask, 'INT64', ['batch', 'total_sequence']);
  const positionIds = g.addInput(GPT_ONNX.positionIds, 'INT64', ['batch', 'sequence']);
  const cacheShape = ['batch', heads, 'past_sequence', headWidth];
  const past = Array.from({ length: layers }, (_, i) => ({
    key: g.addInput(GPT_ONNX.pastKey(i), 'FLOAT', cacheShape),
    value: g.addInput(GPT_ONNX.pastValue(i), 'FLOAT', cacheShape),
  }));

  // Who may attend to whom, [batch, 1, sequence, total]: the key is real and not after the query.
  const axis1 = int64('axis_1', [1]);
  const axis2 = int64('axis_2', [2]);
  const keyPositions = op('Sub', [
    op('CumSum', [mask, int64('axis_1_scalar', [1], [])]),
    int64('one', [1], []),
  ]);
  const distance = op('Sub', [op('Unsqueeze', [positionIds, axis2]), op('Unsqueeze', [keyPositions, axis1])]);
  const visible = op('Unsqueeze', [
    op('And', [
      op('GreaterOrEqual', [distance, int64('zero', [0], [])]),
      op('Equal', [op('Unsqueeze', [mask, axis1]), int64('real', [1], [])]),
    ]),
    axis1,
  ]);
  // ALiBi: −slope·distance, [batch, heads, sequence, total].
  const alibi =
    positions === 'alibi'
      ? op('Mul', [
          op('Unsqueeze', [op('Cast', [distance], { to: attr.int(1) }), axis1]),
          float('alibi_slopes', T.array(alibiSlopes(heads).map((s) => -s)).reshape([1, heads, 1, 1])),
        ])
      : null;
  // Rotary: x·cos + swap(x)·sin, swap exchanging the two features of each pair; cos and sin gathered per position
  // from tables computed in float64, [batch, 1, sequence, head_width]. No MatMul, so no quantizer touches it.
  const rotary = positions === 'rope' ? rotaryInputs() : null;

  let x = op('Gather', [float('token_embedding', model.tokenEmbedding.weight.value), ids], {
    axis: attr.int(0),
  });
  if (model.positionEmbedding)
    x = op('Add', [
      x,
      op('Gather', [float('position_embedding', model.positionEmbedding.weight.value), positionIds], {
        axis: attr.int(0),
      }),
    ]);

  const layerNorm = (
    input: string,
    norm: { weight: { value: T.NDArray }; bias: { value: T.NDArray } | null },
    name: string,
  ) =>
    op(
      'LayerNormalization',
      [
        input,
        float(`${name}.weight`, norm.weight.value),
        ...(norm.bias ? [float(`${name}.bias`, norm.bias.value)] : []),
      ],
      { axis: attr.int(-1), epsilon: attr.float(1e-5) },
    );
  const linear = (
    input: string,
    layer: { weight: { value: T.NDArray }; bias: { value: T.NDArray } | null },
    name: string,
  ) => {
    const product = op('MatMul', [input, weightT(`${name}.weight_t`, layer.weight.value)]);
    return layer.bias ? op('Add', [product, float(`${name}.bias`, layer.bias.value)]) : product;
  };

  const qkvShape = int64('qkv_shape', [0, 0, 3, heads, headWidth]);
  const parts = [0, 1, 2].map((index) => int64(`part_${index}`, [index], []));
  const scale = float('attention_scale', T.full([], 1 / Math.sqrt(headWidth)));
  const masked = float('masked_score', T.full([], MASKED_SCORE));
  const mergedShape = int64('merged_shape', [0, 0, width]);
  model.blocks.forEach((block, i) => {
    const name = `blocks.${i}`;
    // [batch, sequence, 3·width] → [3, batch, heads, sequence, head_width]: q, k and v of every head.
    const qkv = op(
      'Transpose',
      [
        op('Reshape', [
          linear(layerNorm(x, block.norm1, `${name}.norm1`), block.attention.qkv, `${name}.attention.qkv`),
          qkvShape,
        ]),
      ],
      { perm: attr.ints([2, 0, 3, 1, 4]) },
    );
    const part = (index: number) => op('Gather', [qkv, parts[index]!], { axis: attr.int(0) });
    let [q, k] = [part(0), part(1)];
    let v = part(2);
    if (rotary) [q, k] = [rotate(q, rotary), rotate(k, rotary)];
    k = g.addNode('Identity', [k], { outputs: [GPT_ONNX.newKey(i)] })[0]!;
    v = g.addNode('Identity', [v], { outputs: [GPT_ONNX.newValue(i)] })[0]!;
    const keys = g.addNode('Concat', [past[i]!.key, k], {
      outputs: [GPT_ONNX.presentKey(i)],
      attributes: { axis: attr.int(2) },
    })[0]!;
    const values = g.addNode('Concat', [past[i]!.value, v], {
      outputs: [GPT_ONNX.presentValue(i)],
      attributes: { axis: attr.int(2) },
    })[0]!;
    let scores = op('Mul', [
      op('MatMul', [q, op('Transpose', [keys], { perm: attr.ints([0, 1, 3, 2]) })]),
      scale,
    ]);
    if (alibi) scores = op('Add', [scores, alibi]);
    const weights = op('Softmax', [op('Where', [visible, scores, masked])], {
      axis: attr.int(-1),
    });
    const merged = op('Reshape', [
      op('Transpose', [op('MatMul', [weights, values])], { perm: attr.ints([0, 2, 1, 3]) }),
      mergedShape,
    ]);
    x = op('Add', [x, linear(merged, block.attention.proj, `${name}.attention.proj`)]);
    const hidden = geluNodes(
      g,
      linear(layerNorm(x, block.norm2, `${name}.norm2`), block.mlp.up, `${name}.mlp.up`),
    );
    x = op('Add', [x, linear(hidden, block.mlp.down, `${name}.mlp.down`)]);
    g.addOutput(keys, 'FLOAT', ['batch', heads, 'total_sequence', headWidth]);
    g.addOutput(values, 'FLOAT', ['batch', heads, 'total_sequence', headWidth]);
    g.addOutput(k, 'FLOAT', ['batch', heads, 'sequence', headWidth]);
    g.addOutput(v, 'FLOAT', ['batch', heads, 'sequence', headWidth]);
  });

  // The LM head is the token embedding transposed; ONNX stores it a second time, as [width, vocab].
  const normed = layerNorm(x, model.finalNorm, 'final_norm');
  const logits = g.addNode(
    'MatMul',
    [normed, weightT('lm_head.weight_t', model.tokenEmbedding.weight.value)],
    {
      outputs: [GPT_ONNX.logits],
    },
  )[0]!;
  g.addOutput(logits, 'FLOAT', ['batch', 'sequence', vocabSize]);
  return g.toBytes({
    producerName: 'mle-learner @mle/gpt',
    docString: `GPT ${layers}×${heads}×${width}, ${positions} positions, vocabulary ${vocabSize}`,
    properties: {
      'gpt.config': JSON.stringify(config),
      'gpt.max_positions': String(maxPositions),
      ...options.properties,
    },
  });

  function rotaryInputs() {
    const half = headWidth / 2;
    const cos = T.zeros([maxPositions, headWidth], 'float64');
    const sin = T.zeros([maxPositions, headWidth], 'float64');
    for (let p = 0; p < maxPositions; p++) {
      for (let i = 0; i < half; i++) {
        // The same angles as applyRotary: p·base^(−2i/d), each used by features 2i and 2i + 1.
        const angle = p * 10_000 ** ((-2 * i) / headWidth);
        cos.data[p * headWidth + 2 * i] = cos.data[p * headWidth + 2 * i + 1] = Math.cos(angle);
        sin.data[p * headWidth + 2 * i] = -Math.sin(angle); // out[2i] = a·cos − b·sin
        sin.data[p * headWidth + 2 * i + 1] = Math.sin(angle); // out[2i+1] = b·cos + a·sin
      }
    }
    const gather = (table: T.NDArray, name: string) =>
      op('Unsqueeze', [op('Gather', [float(name, table), positionIds], { axis: attr.int(0) }), axis1]);
    // Each pair's features swapped: (a, b) → (b, a); the sign of −b is in the sine table.
    const pairs = Array.from({ length: headWidth }, (_, f) => f ^ 1);
    return {
      cos: gather(cos, 'rotary_cos'),
      sin: gather(sin, 'rotary_sin'),
      swap: int64('rotary_swap', pairs),
    };
  }

  function rotate(input: string, tables: { cos: string; sin: string; swap: string }): string {
    return op('Add', [
      op('Mul', [input, tables.cos]),
      op('Mul', [op('Gather', [input, tables.swap], { axis: attr.int(-1) }), tables.sin]),
    ]);
  }
}
