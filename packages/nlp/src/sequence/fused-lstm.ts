import { add, Module, slice, Tensor } from '@mle/autograd';
import * as T from '@mle/tensor';
import { type DType, NDArray } from '@mle/tensor';
import { LSTMCell, type RecurrentState } from './recurrent.js';

/**
 * A whole LSTM layer over a sequence as one autograd op, with backpropagation through time written out by hand,
 * as cuDNN fuses it. The unrolled LSTMCell costs about twenty small ops per step, each allocating; this costs two
 * matrix products per step and one loop over the gates. Its results equal the unrolled cells' (a test, in float64).
 *
 * x [B, T, I], wIh [I, 4H], wHh [H, 4H], bias [4H] (b_ih + b_hh), h0 and c0 [B, H], gates in the order i, f, g, o.
 * Returns every step's h, [B, T, H], and the last cell state c_T as a plain array: no gradient flows back through
 * c_T (truncated BPTT detaches it anyway); gradients do flow through every h, h0 and c0.
 */
export function lstmSequence(
  x: Tensor,
  wIh: Tensor,
  wHh: Tensor,
  bias: Tensor,
  h0: Tensor,
  c0: Tensor,
): { output: Tensor; c: NDArray } {
  const [B, TT, I] = x.shape as [number, number, number];
  const H = h0.shape[1]!;
  const G = 4 * H;
  const dtype = x.dtype;
  // All pre-activations' input part at once: [B·T, 4H] = x·W_ih + b.
  const xProj = T.add(T.matmul(x.value.reshape([B * TT, I]), wIh.value), bias.value).contiguous();
  const zx = xProj.data as Float32Array | Float64Array;
  const whh = wHh.value.contiguous();
  // Saved for the backward pass, per step: the gates after their nonlinearity, c, tanh(c), and h.
  const gates = new Float64Array(TT * B * G);
  const cs = new Float64Array((TT + 1) * B * H);
  const tanhC = new Float64Array(TT * B * H);
  const hs = new Float64Array((TT + 1) * B * H);
  hs.set(h0.value.contiguous().toTypedArray());
  cs.set(c0.value.contiguous().toTypedArray());
  const out = T.zeros([B, TT, H], dtype);
  const o = out.data;
  for (let t = 0; t < TT; t++) {
    const hPrev = new NDArray(typed(dtype, hs.subarray(t * B * H, (t + 1) * B * H)), [B, H]);
    const zh = T.matmul(hPrev, whh).data;
    for (let b = 0; b < B; b++) {
      const zRow = (b * TT + t) * G;
      const gRow = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(zx[zRow + j]! + zh[b * G + j]!);
        const f = sigmoid(zx[zRow + H + j]! + zh[b * G + H + j]!);
        const g = Math.tanh(zx[zRow + 2 * H + j]! + zh[b * G + 2 * H + j]!);
        const og = sigmoid(zx[zRow + 3 * H + j]! + zh[b * G + 3 * H + j]!);
        gates[gRow + j] = i;
        gates[gRow + H + j] = f;
        gates[gRow + 2 * H + j] = g;
        gates[gRow + 3 * H + j] = og;
        const c = f * cs[t * B * H + b * H + j]! + i * g;
        const tc = Math.tanh(c);
        cs[(t + 1) * B * H + b * H + j] = c;
        tanhC[t * B * H + b * H + j] = tc;
        const h = og * tc;
        hs[(t + 1) * B * H + b * H + j] = h;
        o[(b * TT + t) * H + j] = h;
      }
    }
  }
  const output = Tensor.fromOp('lstmSequence', out, [x, wIh, wHh, bias, h0, c0], (grad) => {
    const gOut = grad.contiguous().toTypedArray();
    const whhT = whh.T.contiguous();
    const dzByTime = new Float64Array(TT * B * G); // rows t·B + b
    let dh = new Float64Array(B * H);
    const dc = new Float64Array(B * H);
    for (let t = TT - 1; t >= 0; t--) {
      const dzStep = dzByTime.subarray(t * B * G, (t + 1) * B * G);
      for (let b = 0; b < B; b++) {
        const gRow = (t * B + b) * G;
        for (let j = 0; j < H; j++) {
          const k = b * H + j;
          const i = gates[gRow + j]!;
          const f = gates[gRow + H + j]!;
          const g = gates[gRow + 2 * H + j]!;
          const og = gates[gRow + 3 * H + j]!;
          const tc = tanhC[t * B * H + k]!;
          // h = o·tanh(c), c = f·c₋₁ + i·g: the chain rule through each gate's nonlinearity.
          const dhk = dh[k]! + gOut[(b * TT + t) * H + j]!;
          const dck = dc[k]! + dhk * og * (1 - tc * tc);
          dzStep[b * G + j] = dck * g * i * (1 - i);
          dzStep[b * G + H + j] = dck * cs[t * B * H + k]! * f * (1 - f);
          dzStep[b * G + 2 * H + j] = dck * i * (1 - g * g);
          dzStep[b * G + 3 * H + j] = dhk * tc * og * (1 - og);
          dc[k] = dck * f;
        }
      }
      dh = Float64Array.from(T.matmul(new NDArray(typed(dtype, dzStep), [B, G]), whhT).data);
    }
    // The weight gradients need no loop over time: one product over all steps each.
    const hPrevAll = new NDArray(typed(dtype, hs.subarray(0, TT * B * H)), [TT * B, H]);
    const dWhh = T.matmul(hPrevAll.T, new NDArray(typed(dtype, dzByTime), [TT * B, G]));
    const dzByBatch = new Float64Array(B * TT * G); // rows b·T + t, as x
    for (let t = 0; t < TT; t++)
      for (let b = 0; b < B; b++)
        dzByBatch.set(dzByTime.subarray((t * B + b) * G, (t * B + b + 1) * G), (b * TT + t) * G);
    const dzAll = new NDArray(typed(dtype, dzByBatch), [B * TT, G]);
    const xFlat = x.value.reshape([B * TT, I]);
    return [
      x.requiresGrad ? T.matmul(dzAll, wIh.value.T).reshape([B, TT, I]) : null,
      wIh.requiresGrad ? T.matmul(xFlat.T, dzAll) : null,
      wHh.requiresGrad ? dWhh : null,
      bias.requiresGrad ? T.sum(dzAll, { axis: 0 }) : null,
      h0.requiresGrad ? new NDArray(typed(dtype, dh), [B, H]) : null,
      c0.requiresGrad ? new NDArray(typed(dtype, dc), [B, H]) : null,
    ];
  });
  const c = new NDArray(typed(dtype, cs.subarray(TT * B * H)), [B, H]);
  return { output, c };
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** A copy of `values` in the array type of `dtype`. */
function typed(dtype: DType, values: Float64Array): Float32Array | Float64Array {
  return dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
}

/**
 * A stack of LSTM layers over [batch, time, features], each run by `lstmSequence`. Its parameters are LSTMCells'
 * (the same names and layout as the unrolled `lstm()` layer, so weights move between the two).
 */
export class FusedLSTM extends Module<Tensor, { output: Tensor; states: RecurrentState[] }> {
  readonly cells: LSTMCell[];

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    numLayers = 1,
  ) {
    super();
    if (!Number.isInteger(numLayers) || numLayers < 1)
      throw new RangeError(`FusedLSTM: numLayers must be a whole number ≥ 1, got ${numLayers}`);
    this.cells = Array.from(
      { length: numLayers },
      (_, l) => new LSTMCell(l === 0 ? inputSize : hiddenSize, hiddenSize),
    );
  }

  /** x [batch, time, input] → every step's h of the top layer [batch, time, hidden], and each layer's last state. */
  forward(x: Tensor, initial?: readonly RecurrentState[]): { output: Tensor; states: RecurrentState[] } {
    if (x.shape.length !== 3 || x.shape[2] !== this.inputSize || x.shape[1] === 0)
      throw new RangeError(`FusedLSTM: input must be [batch, time ≥ 1, ${this.inputSize}], got [${x.shape}]`);
    if (initial && initial.length !== this.cells.length)
      throw new RangeError(`FusedLSTM: ${initial.length} initial states for ${this.cells.length} layers`);
    const batch = x.shape[0]!;
    let input = x;
    const states = this.cells.map((cell, l) => {
      const start = initial?.[l] ?? cell.initialState(batch);
      for (const [name, t] of [
        ['h', start.h],
        ['c', start.c],
      ] as const)
        if (!t || t.shape.join() !== `${batch},${this.hiddenSize}`)
          throw new RangeError(
            `FusedLSTM: layer ${l}'s initial ${name} must be [${batch}, ${this.hiddenSize}], got ${t ? `[${t.shape}]` : 'none'}`,
          );
      const w = cell.prepare();
      const { output, c } = lstmSequence(input, w.ih, w.hh, add(w.biasIh, w.biasHh), start.h, start.c!);
      input = output;
      return { h: slice(output, null, -1), c: new Tensor(c) };
    });
    return { output: input, states };
  }
}
