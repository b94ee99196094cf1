import {
  add,
  Module,
  matmul,
  mul,
  Parameter,
  relu,
  reshape,
  sigmoid,
  slice,
  stack,
  sub,
  Tensor,
  tanh,
  torchDefaultUniform,
  transpose,
} from '@mle/autograd';
import * as T from '@mle/tensor';

/** A recurrent cell's state after a step: h, and for an LSTM the cell memory c as well. Each is [batch, hidden]. */
export interface RecurrentState {
  h: Tensor;
  c?: Tensor;
}

export type CellKind = 'rnn' | 'gru' | 'lstm';

/** A cell's weights prepared for its steps: W_ihᵀ [input, gates·hidden], W_hhᵀ [hidden, gates·hidden], biases. */
export interface CellWeights {
  ih: Tensor;
  hh: Tensor;
  biasIh: Tensor;
  biasHh: Tensor;
}

const GATES: Record<CellKind, number> = { rnn: 1, gru: 3, lstm: 4 };

/**
 * One time step of a recurrent network, with PyTorch's parameters: `weightIh` [gates·hidden, input],
 * `weightHh` [gates·hidden, hidden], `biasIh` and `biasHh` [gates·hidden], the gates stacked in PyTorch's order
 * (LSTM i, f, g, o; GRU r, z, n), each initialized U(±1/√hidden) as PyTorch does. Backpropagation through time is
 * the autograd graph of the unrolled steps: no hand-written backward.
 */
export abstract class RecurrentCell extends Module<Tensor, RecurrentState> {
  readonly weightIh: Parameter;
  readonly weightHh: Parameter;
  readonly biasIh: Parameter;
  readonly biasHh: Parameter;

  constructor(
    readonly kind: CellKind,
    readonly inputSize: number,
    readonly hiddenSize: number,
  ) {
    super();
    for (const [name, n] of [
      ['inputSize', inputSize],
      ['hiddenSize', hiddenSize],
    ] as const)
      if (!Number.isInteger(n) || n < 1)
        throw new RangeError(`${this.constructor.name}: ${name} must be a whole number ≥ 1, got ${n}`);
    const rows = GATES[kind] * hiddenSize;
    this.weightIh = new Parameter(torchDefaultUniform([rows, inputSize], hiddenSize));
    this.weightHh = new Parameter(torchDefaultUniform([rows, hiddenSize], hiddenSize));
    this.biasIh = new Parameter(torchDefaultUniform([rows], hiddenSize));
    this.biasHh = new Parameter(torchDefaultUniform([rows], hiddenSize));
  }

  /** The state before the first step: zeros, as PyTorch and Keras start. */
  initialState(batch: number): RecurrentState {
    const zeros = () => new Tensor(T.zeros([batch, this.hiddenSize], this.weightIh.dtype));
    return this.kind === 'lstm' ? { h: zeros(), c: zeros() } : { h: zeros() };
  }

  /** One step: x [batch, input] and the previous state (zeros if omitted) to the next state. */
  forward(x: Tensor, state?: RecurrentState, weights: CellWeights = this.prepare()): RecurrentState {
    if (x.shape.length !== 2 || x.shape[1] !== this.inputSize)
      throw new RangeError(
        `${this.constructor.name}(${this.inputSize}, ${this.hiddenSize}): a step's input must be [batch, ${this.inputSize}], got [${x.shape}]`,
      );
    const previous = state ?? this.initialState(x.shape[0]!);
    this.checkState(previous, x.shape[0]!);
    return this.step(x, previous, weights);
  }

  /**
   * The weights as a step multiplies by them: transposed once into contiguous [in, gates·hidden] arrays (a
   * transposed view would be copied by every step's matmul), for a layer to prepare once per sequence.
   */
  prepare(): CellWeights {
    const t = (w: Tensor) => reshape(transpose(w), [w.shape[1]!, w.shape[0]!]);
    return { ih: t(this.weightIh), hh: t(this.weightHh), biasIh: this.biasIh, biasHh: this.biasHh };
  }

  protected abstract step(x: Tensor, state: RecurrentState, weights: CellWeights): RecurrentState;

  /** Gate k of a [batch, gates·hidden] pre-activation. */
  protected gate(z: Tensor, k: number): Tensor {
    const H = this.hiddenSize;
    return slice(z, null, { start: k * H, stop: (k + 1) * H });
  }

  private checkState(state: RecurrentState, batch: number): void {
    const expected = `[${batch}, ${this.hiddenSize}]`;
    const parts: [string, Tensor | undefined][] = [['h', state.h]];
    if (this.kind === 'lstm') parts.push(['c', state.c]);
    for (const [name, t] of parts) {
      if (!t)
        throw new Error(`${this.constructor.name}: the state has no ${name} (an LSTM state is { h, c })`);
      if (t.shape.join() !== `${batch},${this.hiddenSize}`)
        throw new RangeError(`${this.constructor.name}: state ${name} must be ${expected}, got [${t.shape}]`);
    }
  }
}

/** Elman's RNN: h′ = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), with tanh (or ReLU) as the activation. */
export class RNNCell extends RecurrentCell {
  constructor(
    inputSize: number,
    hiddenSize: number,
    readonly nonlinearity: 'tanh' | 'relu' = 'tanh',
  ) {
    super('rnn', inputSize, hiddenSize);
  }

  protected step(x: Tensor, { h }: RecurrentState, w: CellWeights): RecurrentState {
    const z = add(add(matmul(x, w.ih), w.biasIh), add(matmul(h, w.hh), w.biasHh));
    return { h: this.nonlinearity === 'tanh' ? tanh(z) : relu(z) };
  }
}

/**
 * Hochreiter & Schmidhuber's LSTM with a forget gate (Gers et al., 2000), as PyTorch and Keras compute it:
 * i, f, o = σ(·), g = tanh(·) of x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh; c′ = f ⊙ c + i ⊙ g; h′ = o ⊙ tanh(c′).
 */
export class LSTMCell extends RecurrentCell {
  constructor(inputSize: number, hiddenSize: number) {
    super('lstm', inputSize, hiddenSize);
  }

  protected step(x: Tensor, { h, c }: RecurrentState, w: CellWeights): RecurrentState {
    const z = add(add(matmul(x, w.ih), w.biasIh), add(matmul(h, w.hh), w.biasHh));
    const i = sigmoid(this.gate(z, 0));
    const f = sigmoid(this.gate(z, 1));
    const g = tanh(this.gate(z, 2));
    const o = sigmoid(this.gate(z, 3));
    const next = add(mul(f, c!), mul(i, g));
    return { h: mul(o, tanh(next)), c: next };
  }
}

/**
 * The GRU of Cho et al. (2014): r, z = σ(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) for their rows; h′ = (1 − z) ⊙ n + z ⊙ h.
 * The candidate n applies the reset gate in one of two places:
 * - `resetAfter: false` (the paper; Keras with reset_after=False; TensorFlow.js, which supports only this):
 *   n = tanh(x·W_inᵀ + b_in + (r ⊙ h)·W_hnᵀ + b_hn);
 * - `resetAfter: true` (PyTorch, cuDNN, Keras' default): n = tanh(x·W_inᵀ + b_in + r ⊙ (h·W_hnᵀ + b_hn)).
 */
export class GRUCell extends RecurrentCell {
  readonly resetAfter: boolean;

  constructor(inputSize: number, hiddenSize: number, options: { resetAfter?: boolean } = {}) {
    super('gru', inputSize, hiddenSize);
    this.resetAfter = options.resetAfter ?? false;
  }

  protected step(x: Tensor, { h }: RecurrentState, w: CellWeights): RecurrentState {
    const H = this.hiddenSize;
    const rows = (t: Tensor, from: number, to: number) => slice(t, { start: from, stop: to });
    const cols = (t: Tensor, from: number, to: number) => slice(t, null, { start: from, stop: to });
    const zi = add(matmul(x, w.ih), w.biasIh);
    const hRz = add(matmul(h, cols(w.hh, 0, 2 * H)), rows(w.biasHh, 0, 2 * H));
    const rz = add(cols(zi, 0, 2 * H), hRz);
    const r = sigmoid(this.gate(rz, 0));
    const z = sigmoid(this.gate(rz, 1));
    const hhN = cols(w.hh, 2 * H, 3 * H);
    const bhN = rows(w.biasHh, 2 * H, 3 * H);
    const n = this.resetAfter
      ? tanh(add(this.gate(zi, 2), mul(r, add(matmul(h, hhN), bhN))))
      : tanh(add(this.gate(zi, 2), add(matmul(mul(r, h), hhN), bhN)));
    // (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)
    return { h: add(n, mul(z, sub(h, n))) };
  }
}

export interface RecurrentOutput {
  /** The top layer's h at each step, [batch, hidden] each: stack them on axis 1 for [batch, time, hidden]. */
  outputs: Tensor[];
  /** Each layer's state after the last step (the next window's initial state in truncated BPTT). */
  states: RecurrentState[];
}

/**
 * A stack of recurrent cells unrolled over time: layer ℓ reads layer ℓ − 1's h at each step. The input is
 * [batch, time, features], or one [batch, features] tensor per step (so an embedding looked up per step is not
 * sliced out of a [batch, time, features] tensor, whose gradient would cost the whole tensor at every step).
 */
export class Recurrent<Cell extends RecurrentCell = RecurrentCell> extends Module<
  Tensor | readonly Tensor[],
  RecurrentOutput
> {
  readonly cells: Cell[];

  constructor(makeCell: (inputSize: number) => Cell, inputSize: number, hiddenSize: number, numLayers = 1) {
    super();
    if (!Number.isInteger(numLayers) || numLayers < 1)
      throw new RangeError(`Recurrent: numLayers must be a whole number ≥ 1, got ${numLayers}`);
    this.cells = Array.from({ length: numLayers }, (_, l) => makeCell(l === 0 ? inputSize : hiddenSize));
  }

  forward(input: Tensor | readonly Tensor[], initial?: readonly RecurrentState[]): RecurrentOutput {
    let steps = Array.isArray(input) ? input : unstackTime(input as Tensor, this.cells[0]!);
    if (steps.length === 0) throw new RangeError('Recurrent: the sequence is empty (time = 0)');
    if (initial && initial.length !== this.cells.length)
      throw new RangeError(`Recurrent: ${initial.length} initial states for ${this.cells.length} layers`);
    const states = this.cells.map((cell, l) => {
      let state = initial?.[l] ?? cell.initialState(steps[0]!.shape[0]!);
      const weights = cell.prepare();
      steps = steps.map((x) => {
        state = cell.forward(x, state, weights);
        return state.h;
      });
      return state;
    });
    return { outputs: steps, states };
  }
}

function unstackTime(x: Tensor, first: RecurrentCell): Tensor[] {
  if (x.shape.length !== 3 || x.shape[2] !== first.inputSize)
    throw new RangeError(
      `Recurrent: input must be [batch, time, ${first.inputSize}] (or one [batch, ${first.inputSize}] per step), got [${x.shape}]`,
    );
  return Array.from({ length: x.shape[1]! }, (_, t) => slice(x, null, t));
}

export const rnn = (
  inputSize: number,
  hiddenSize: number,
  numLayers = 1,
  nonlinearity: 'tanh' | 'relu' = 'tanh',
) => new Recurrent((i) => new RNNCell(i, hiddenSize, nonlinearity), inputSize, hiddenSize, numLayers);
export const lstm = (inputSize: number, hiddenSize: number, numLayers = 1) =>
  new Recurrent((i) => new LSTMCell(i, hiddenSize), inputSize, hiddenSize, numLayers);
export const gru = (
  inputSize: number,
  hiddenSize: number,
  numLayers = 1,
  options: { resetAfter?: boolean } = {},
) => new Recurrent((i) => new GRUCell(i, hiddenSize, options), inputSize, hiddenSize, numLayers);

/** [batch, time, hidden] from the per-step outputs. */
export const stackTime = (outputs: readonly Tensor[]): Tensor => stack(outputs, 1);
