import {
  Adam,
  clipGradNorm,
  crossEntropy,
  Embedding,
  Linear,
  Module,
  manualSeed,
  noGrad,
  type Optimizer,
  reshape,
  Tensor,
} from '@mle/autograd';
import { NDArray, Rng, zeros } from '@mle/tensor';
import { FusedLSTM } from './fused-lstm.js';
import type { RecurrentState } from './recurrent.js';

/** The characters of a training text, one id each (by first appearance order sorted, so the same text, the same ids). */
export class CharVocabulary {
  readonly chars: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(chars: Iterable<string>) {
    this.chars = [...new Set(chars)].sort();
    if (this.chars.length < 2)
      throw new RangeError(`CharVocabulary: need at least 2 distinct characters, got ${this.chars.length}`);
    this.ids = new Map(this.chars.map((c, i) => [c, i]));
  }

  static fromText(text: string): CharVocabulary {
    return new CharVocabulary(text);
  }

  get size(): number {
    return this.chars.length;
  }

  /** Characters (code points) to ids; a character the vocabulary lacks is an error naming it and where. */
  encode(text: string): Int32Array {
    const chars = Array.from(text);
    return Int32Array.from(chars, (c, i) => {
      const id = this.ids.get(c);
      if (id === undefined)
        throw new RangeError(
          `CharVocabulary.encode: character ${JSON.stringify(c)} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) at ${i} is not in the vocabulary of ${this.size}`,
        );
      return id;
    });
  }

  decode(ids: Iterable<number>): string {
    let out = '';
    for (const id of ids) {
      const c = this.chars[id];
      if (c === undefined)
        throw new RangeError(`CharVocabulary.decode: id ${id} is outside 0..${this.size - 1}`);
      out += c;
    }
    return out;
  }
}

export interface CharLmConfig {
  vocabSize: number;
  embedding: number;
  hidden: number;
  layers: number;
}

/** Embedding → stacked LSTM (the fused layer, checked against the unrolled cells) → linear head to next-character logits. */
export class CharLm extends Module<NDArray, { logits: Tensor; states: RecurrentState[] }> {
  readonly embedding: Embedding;
  readonly rnn: FusedLSTM;
  readonly head: Linear;

  constructor(readonly config: CharLmConfig) {
    super();
    this.embedding = new Embedding(config.vocabSize, config.embedding);
    this.rnn = new FusedLSTM(config.embedding, config.hidden, config.layers);
    this.head = new Linear(config.hidden, config.vocabSize);
  }

  /** ids [batch, time] → logits [batch·time, vocab] (row b·time + t), and each layer's final state. */
  forward(ids: NDArray, initial?: readonly RecurrentState[]): { logits: Tensor; states: RecurrentState[] } {
    if (ids.rank !== 2) throw new RangeError(`CharLm: ids must be [batch, time], got [${ids.shape}]`);
    const [batch, time] = ids.shape as [number, number];
    if (time === 0) throw new RangeError('CharLm: the sequence is empty (time = 0)');
    const { output, states } = this.rnn.forward(embed(this.embedding.weight, ids), initial);
    const h = reshape(output, [batch * time, this.config.hidden]);
    return { logits: this.head.forward(h), states };
  }
}

/**
 * Rows of `weight` [vocab, dim] picked by integer `ids` [batch, time] → [batch, time, dim]; the backward pass adds
 * each row's gradient into the row it came from. (The same as Embedding's take, written as one loop: the general
 * gather of @mle/tensor assembles its result slice by slice.)
 */
export function embed(weight: Tensor, ids: NDArray): Tensor {
  const [V, D] = weight.shape as [number, number];
  const flat = ids.contiguous().toTypedArray();
  for (let k = 0; k < flat.length; k++)
    if (!(flat[k]! >= 0 && flat[k]! < V && Number.isInteger(flat[k])))
      throw new RangeError(`embed: id ${flat[k]} at ${k} is outside 0..${V - 1}`);
  const w = weight.value.contiguous().toTypedArray();
  const out = zeros([...ids.shape, D], weight.dtype);
  for (let k = 0; k < flat.length; k++) out.data.set(w.subarray(flat[k]! * D, flat[k]! * D + D), k * D);
  return Tensor.fromOp('embed', out, [weight], (grad) => {
    const g = grad.contiguous().toTypedArray();
    const dw = zeros([V, D], weight.dtype);
    const d = dw.data;
    for (let k = 0; k < flat.length; k++) {
      const row = flat[k]! * D;
      for (let j = 0; j < D; j++) d[row + j]! += g[k * D + j]!;
    }
    return [dw];
  });
}

/** How a character LSTM is trained: sizes, truncated-BPTT window, optimizer and budget. */
export interface CharLmRecipe extends Omit<CharLmConfig, 'vocabSize'> {
  /** Parallel streams through the text (the batch). */
  batch: number;
  /** Characters per truncated-BPTT window: gradients flow back this far; the state carries on across windows. */
  window: number;
  steps: number;
  lr: number;
  /** Gradient-norm clipping threshold. */
  clip: number;
  /** Validation loss every this many steps. */
  evalEvery: number;
  /** Characters of validation text the loss is measured on. */
  valChars: number;
  seed: number;
}

export interface CharLmHistory {
  /** Training loss (nats/char) of every step. */
  train: number[];
  /** Validation loss (nats/char) after step `step`. */
  val: { step: number; loss: number }[];
  seconds: number;
  /** Characters trained on per second (batch × window × steps ÷ seconds). */
  charsPerSecond: number;
}

/**
 * Cuts `ids` into `batch` contiguous streams (as char-rnn does) and yields successive [batch, window + 1] blocks:
 * inputs are the first `window` columns, targets the last `window`. After the last block it starts again from the
 * beginning, with a flag so the caller resets the carried state.
 */
export function* streamWindows(
  ids: Int32Array,
  batch: number,
  window: number,
): Generator<{ block: NDArray; restart: boolean }> {
  const length = Math.floor(ids.length / batch);
  const blocks = Math.floor((length - 1) / window);
  if (blocks < 1)
    throw new RangeError(
      `streamWindows: ${ids.length} characters make ${batch} streams of ${length}, too short for one window of ${window} + 1`,
    );
  for (let pass = 0; ; pass++) {
    for (let k = 0; k < blocks; k++) {
      const data = new Int32Array(batch * (window + 1));
      for (let b = 0; b < batch; b++)
        data.set(
          ids.subarray(b * length + k * window, b * length + k * window + window + 1),
          b * (window + 1),
        );
      yield { block: new NDArray(data, [batch, window + 1]), restart: k === 0 && pass > 0 };
    }
  }
}

/** Inputs and flattened targets of a [batch, window + 1] block. */
function split(block: NDArray): { inputs: NDArray; targets: NDArray } {
  const window = block.shape[1]! - 1;
  return {
    inputs: block.slice(null, { stop: window }).contiguous(),
    targets: block
      .slice(null, { start: 1 })
      .contiguous()
      .reshape([block.shape[0]! * window]),
  };
}

const detach = (states: readonly RecurrentState[]): RecurrentState[] =>
  states.map((s) => (s.c ? { h: s.h.detach(), c: s.c.detach() } : { h: s.h.detach() }));

/** Mean cross-entropy in nats/char over `ids`, read as `batch` streams with the state carried across windows. */
export function charLmLoss(model: CharLm, ids: Int32Array, batch: number, window: number): number {
  const wasTraining = model.training;
  model.eval();
  let total = 0;
  let count = 0;
  noGrad(() => {
    let states: RecurrentState[] | undefined;
    for (const { block, restart } of streamWindows(ids, batch, window)) {
      if (restart) break;
      const { inputs, targets } = split(block);
      const out = model.forward(inputs, states);
      total += crossEntropy(out.logits, targets).item() * targets.size;
      count += targets.size;
      states = out.states;
    }
  });
  model.train(wasTraining);
  return total / count;
}

/**
 * One step of truncated BPTT on a [batch, window + 1] block: forward from `states`, the loss, backward, clipping of
 * the gradient norm, the optimizer's update. Returns the loss and the final states detached from the graph.
 */
export function charLmStep(
  model: CharLm,
  optimizer: Optimizer,
  block: NDArray,
  states: readonly RecurrentState[] | undefined,
  clip: number,
): { loss: number; states: RecurrentState[] } {
  const { inputs, targets } = split(block);
  const out = model.forward(inputs, states);
  const loss = crossEntropy(out.logits, targets);
  optimizer.zeroGrad();
  loss.backward();
  clipGradNorm(model.parameters(), clip);
  optimizer.step();
  return { loss: loss.item(), states: detach(out.states) };
}

/**
 * Trains with truncated backpropagation through time: each step runs one window of every stream from the state the
 * previous window left (detached, so gradients stop at the window's start), Adam, and clips the gradient norm.
 */
export function trainCharLm(
  model: CharLm,
  train: Int32Array,
  val: Int32Array,
  recipe: CharLmRecipe,
  log: (line: string) => void = () => {},
): CharLmHistory {
  const optimizer = new Adam(model.parameters(), { lr: recipe.lr });
  const windows = streamWindows(train, recipe.batch, recipe.window);
  const valIds = val.subarray(0, recipe.valChars);
  const history: CharLmHistory = { train: [], val: [], seconds: 0, charsPerSecond: 0 };
  let states: RecurrentState[] | undefined;
  const started = performance.now();
  model.train();
  for (let step = 1; step <= recipe.steps; step++) {
    const { block, restart } = windows.next().value!;
    const result = charLmStep(model, optimizer, block, restart ? undefined : states, recipe.clip);
    states = result.states;
    history.train.push(result.loss);
    if (step % recipe.evalEvery === 0 || step === recipe.steps) {
      const lossVal = charLmLoss(model, valIds, recipe.batch, recipe.window);
      history.val.push({ step, loss: lossVal });
      log(
        `step ${step}/${recipe.steps}: train ${result.loss.toFixed(3)}, validation ${lossVal.toFixed(3)} nats/char`,
      );
    }
  }
  history.seconds = (performance.now() - started) / 1000;
  history.charsPerSecond = (recipe.batch * recipe.window * recipe.steps) / history.seconds;
  return history;
}

/**
 * Continues `prompt` by `length` characters, each drawn from softmax(logits / temperature) with a seeded generator
 * (temperature → 0 approaches greedy; 1 samples the model's own distribution).
 */
export function sampleCharLm(
  model: CharLm,
  vocabulary: CharVocabulary,
  options: { prompt: string; length: number; temperature: number; seed: number },
): string {
  const { prompt, length, temperature, seed } = options;
  if (!(temperature > 0)) throw new RangeError(`sampleCharLm: temperature must be > 0, got ${temperature}`);
  if (prompt.length === 0)
    throw new RangeError('sampleCharLm: the prompt is empty (give at least one character)');
  const rng = new Rng(seed);
  const ids = Array.from(vocabulary.encode(prompt));
  model.eval();
  return noGrad(() => {
    let out = model.forward(new NDArray(Int32Array.from(ids), [1, ids.length]));
    const generated: number[] = [];
    for (let k = 0; k < length; k++) {
      const logits = out.logits.value.slice(-1).toTypedArray();
      const next = drawSoftmax(logits, temperature, rng.uniform([1]).data[0]!);
      generated.push(next);
      out = model.forward(new NDArray(Int32Array.of(next), [1, 1]), out.states);
    }
    return prompt + vocabulary.decode(generated);
  });
}

function drawSoftmax(logits: ArrayLike<number>, temperature: number, u: number): number {
  let top = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) top = Math.max(top, logits[i]! / temperature);
  const weights = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! / temperature - top));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]! / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/** A fresh model for the recipe (seeded, so the same recipe gives the same initial weights). */
export function charLmFor(recipe: CharLmRecipe, vocabSize: number): CharLm {
  manualSeed(recipe.seed);
  return new CharLm({ vocabSize, embedding: recipe.embedding, hidden: recipe.hidden, layers: recipe.layers });
}
