/**
 * A GPT in the shape of nanoGPT's model.py (Radford et al., 2019, on Vaswani et al., 2017), top to bottom:
 * token embedding (+ learned positions), then `layers` pre-norm blocks of causal self-attention and an MLP, each
 * added back to the residual stream, a final layer norm, and logits from the token embedding itself (tied weights).
 */
import {
  add,
  Dropout,
  Embedding,
  gelu,
  globalRng,
  LayerNorm,
  Linear,
  Module,
  matmul,
  type Parameter,
  reshape,
  scaledDotProductAttention,
  slice,
  type Tensor,
  transpose,
} from '@mle/autograd';
import * as T from '@mle/tensor';
import { checkConfig, type GptConfig } from './config.js';
import type { KvCache, LayerCache } from './kv-cache.js';
import { alibiBias, alibiSlopes, applyRotary } from './positions.js';

/** nanoGPT's initialisation: N(0, 0.02) weights and zero biases (GPT-2 §2.3). */
function initLinear(linear: Linear, std = 0.02): Linear {
  linear.weight.value.assign(globalRng().normal([...linear.weight.shape], 0, std));
  linear.bias?.value.assign(0);
  return linear;
}

/** Multi-head self-attention in which a position sees itself and the positions before it, never after. */
export class CausalSelfAttention extends Module {
  /** q, k and v for every head in one product: [.., width] → [.., 3·width]. */
  readonly qkv: Linear;
  /** Back from the concatenated heads to the residual stream. */
  readonly proj: Linear;
  readonly residualDropout: Dropout;
  private readonly slopes: number[] | null;

  constructor(readonly config: GptConfig) {
    super();
    const { width, bias, layers } = config;
    this.qkv = initLinear(new Linear(width, 3 * width, { bias }));
    // GPT-2 scales the init of the projections into the residual stream by 1/√(2·layers): the stream sums 2·layers of them.
    this.proj = initLinear(new Linear(width, width, { bias }), 0.02 / Math.sqrt(2 * layers));
    this.residualDropout = new Dropout(config.dropout);
    this.slopes = config.positions === 'alibi' ? alibiSlopes(config.heads) : null;
  }

  /** x [B, T, width] → [B, T, width]. With a cache, x holds the newest T positions and the cache the earlier ones. */
  forward(x: Tensor, cache?: LayerCache): Tensor {
    const [B, T_, C] = x.shape as [number, number, number];
    const { heads, positions } = this.config;
    const offset = cache?.length ?? 0;
    // [B, T, 3, heads, d] → [3, B, heads, T, d]: q, k and v, each [B, heads, T, d].
    const qkv = transpose(reshape(this.qkv.forward(x), [B, T_, 3, heads, C / heads]), 2, 0, 3, 1, 4);
    let [q, k, v] = [slice(qkv, 0), slice(qkv, 1), slice(qkv, 2)] as [Tensor, Tensor, Tensor];
    if (positions === 'rope') {
      q = applyRotary(q, offset);
      k = applyRotary(k, offset);
    }
    if (cache) [k, v] = cache.append(k, v);
    const keys = k.shape[2]!;
    const y = scaledDotProductAttention(q, k, v, {
      causal: true,
      bias: this.slopes ? alibiBias(this.slopes, T_, keys, x.dtype as 'float32' | 'float64') : undefined,
      dropout: this.training ? this.config.dropout : 0,
    });
    // The heads side by side again: [B, heads, T, d] → [B, T, heads·d].
    const merged = reshape(transpose(y, 0, 2, 1, 3), [B, T_, C]);
    return this.residualDropout.forward(this.proj.forward(merged));
  }
}

/** The position-wise feed-forward network: width → 4·width → GELU → width. */
export class MLP extends Module {
  readonly up: Linear;
  readonly down: Linear;
  readonly dropout: Dropout;

  constructor(config: GptConfig) {
    super();
    this.up = initLinear(new Linear(config.width, 4 * config.width, { bias: config.bias }));
    this.down = initLinear(
      new Linear(4 * config.width, config.width, { bias: config.bias }),
      0.02 / Math.sqrt(2 * config.layers),
    );
    this.dropout = new Dropout(config.dropout);
  }

  forward(x: Tensor): Tensor {
    return this.dropout.forward(this.down.forward(gelu(this.up.forward(x))));
  }
}

/** A pre-norm transformer block: x + attention(norm(x)), then x + mlp(norm(x)) (GPT-2 §2.3). */
export class Block extends Module {
  readonly norm1: LayerNorm;
  readonly attention: CausalSelfAttention;
  readonly norm2: LayerNorm;
  readonly mlp: MLP;

  constructor(config: GptConfig) {
    super();
    this.norm1 = new LayerNorm(config.width, 1e-5, { bias: config.bias });
    this.attention = new CausalSelfAttention(config);
    this.norm2 = new LayerNorm(config.width, 1e-5, { bias: config.bias });
    this.mlp = new MLP(config);
  }

  forward(x: Tensor, cache?: LayerCache): Tensor {
    const attended = add(x, this.attention.forward(this.norm1.forward(x), cache));
    return add(attended, this.mlp.forward(this.norm2.forward(attended)));
  }
}

export class GPT extends Module<T.NDArray, Tensor> {
  readonly config: GptConfig;
  readonly tokenEmbedding: Embedding;
  /** Present only for learned positions: rotary and ALiBi put positions inside attention instead. */
  readonly positionEmbedding: Embedding | null;
  readonly embeddingDropout: Dropout;
  readonly blocks: Block[];
  readonly finalNorm: LayerNorm;

  constructor(config: GptConfig) {
    super();
    this.config = checkConfig({ ...config });
    const { vocabSize, contextLength, width, layers } = config;
    this.tokenEmbedding = new Embedding(vocabSize, width);
    this.tokenEmbedding.weight.value.assign(globalRng().normal([vocabSize, width], 0, 0.02));
    this.positionEmbedding = config.positions === 'learned' ? new Embedding(contextLength, width) : null;
    this.positionEmbedding?.weight.value.assign(globalRng().normal([contextLength, width], 0, 0.02));
    this.embeddingDropout = new Dropout(config.dropout);
    this.blocks = Array.from({ length: layers }, () => new Block(config));
    this.finalNorm = new LayerNorm(width, 1e-5, { bias: config.bias });
  }

  /**
   * Token ids [B, T] (int32) → logits [B, T, vocab]. With a cache, the ids are the next T positions after those the
   * cache holds, and their keys and values are appended to it. Learned positions stop at the context length; rotary
   * and ALiBi positions run past it (how well is what the length-extrapolation table measures).
   */
  forward(ids: T.NDArray, cache?: KvCache): Tensor {
    if (ids.rank !== 2) throw new RangeError(`GPT: ids must be [batch, time], got [${ids.shape}]`);
    const [B, T_] = ids.shape as [number, number];
    const offset = cache?.length ?? 0;
    const { vocabSize, contextLength, positions } = this.config;
    const values = ids.toReadonlyTypedArray();
    for (let i = 0; i < values.length; i++) {
      if (!(Number.isInteger(values[i]) && values[i]! >= 0 && values[i]! < vocabSize))
        throw new RangeError(
          `GPT: token id ${values[i]} at ${i} is outside the vocabulary 0..${vocabSize - 1}`,
        );
    }
    if (positions === 'learned' && offset + T_ > contextLength)
      throw new RangeError(
        `GPT: positions ${offset}..${offset + T_ - 1} run past the learned table of ${contextLength}; crop the input to the last ${contextLength} tokens`,
      );
    let x = this.tokenEmbedding.forward(ids);
    if (this.positionEmbedding) {
      const at = T.arange(offset, offset + T_).astype('int32');
      x = add(x, this.positionEmbedding.forward(at));
    }
    x = this.embeddingDropout.forward(x);
    for (const [i, block] of this.blocks.entries()) x = block.forward(x, cache?.layer(i));
    cache?.advance(T_);
    const normed = this.finalNorm.forward(x);
    const C = this.config.width;
    // The LM head is the token embedding transposed (Press & Wolf, 2017): one matrix for reading and writing tokens.
    const logits = matmul(reshape(normed, [B * T_, C]), transpose(this.tokenEmbedding.weight));
    return reshape(logits, [B, T_, vocabSize]);
  }

  /** The parameters AdamW should decay: the matrices of the linear layers, not norms, biases or embeddings. */
  decayedParameters(): Parameter[] {
    return this.namedParameters()
      .filter(([name, p]) => p.shape.length === 2 && !name.includes('Embedding'))
      .map(([, p]) => p);
  }

  undecayedParameters(): Parameter[] {
    const decayed = new Set(this.decayedParameters());
    return this.parameters().filter((p) => !decayed.has(p));
  }
}
