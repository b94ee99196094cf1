import { gradcheck, manualSeed, sum, Tensor } from '@mle/autograd';
import * as T from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GRUCell,
  gru,
  LSTMCell,
  lstm,
  type Recurrent,
  type RecurrentCell,
  RNNCell,
  rnn,
  stackTime,
} from '../src/index.js';

beforeAll(async () => {
  tf.env().set('IS_TEST', true); // silences the "install tfjs-node" notice
  await tf.setBackend('cpu');
});

const [B, TIME, I, H] = [3, 5, 4, 6];

/** Rows [k·H, (k+1)·H) of a PyTorch-layout weight [gates·H, cols] or bias [gates·H]. */
function rows(w: T.NDArray, k: number): T.NDArray {
  return w.slice({ start: k * H, stop: (k + 1) * H });
}

/**
 * Our parameters as tfjs's [kernel [I, gates·H], recurrentKernel [H, gates·H], bias [gates·H]], in the gate order
 * tfjs uses. The two biases, which add, become one. PyTorch's LSTM order i, f, g, o is Keras's i, f, c, o; its GRU
 * order r, z, n is Keras's z, r, h reordered.
 */
function toTfjs(cell: RecurrentCell, order: number[]): tf.Tensor[] {
  const reorder = (w: T.NDArray) =>
    T.concat(
      order.map((k) => rows(w, k)),
      0,
    );
  const ih = reorder(cell.weightIh.value);
  const hh = reorder(cell.weightHh.value);
  const bias = T.add(reorder(cell.biasIh.value), reorder(cell.biasHh.value));
  const tensor = (a: T.NDArray) => tf.tensor(Array.from(a.contiguous().toTypedArray()), a.shape as number[]);
  return [tensor(ih.T), tensor(hh.T), tensor(bias)];
}

/** The tfjs layer's outputs for x with the given weights (apply builds it; its own random weights are replaced). */
function runTfjs(layer: tf.layers.Layer, weights: tf.Tensor[], x: T.NDArray): Float32Array {
  const input = tf.tensor(Array.from(x.toTypedArray()), x.shape as number[]);
  tf.dispose(layer.apply(input) as tf.Tensor);
  layer.setWeights(weights);
  const out = layer.apply(input) as tf.Tensor;
  const values = out.dataSync() as Float32Array;
  tf.dispose([input, out, ...weights]);
  layer.dispose();
  return values;
}

const cases: {
  name: string;
  ours: () => Recurrent;
  theirs: () => tf.layers.Layer;
  order: number[];
}[] = [
  {
    name: 'simpleRNN',
    ours: () => rnn(I, H),
    theirs: () => tf.layers.simpleRNN({ units: H, returnSequences: true }),
    order: [0],
  },
  {
    name: 'lstm',
    ours: () => lstm(I, H),
    theirs: () => tf.layers.lstm({ units: H, returnSequences: true, recurrentActivation: 'sigmoid' }),
    order: [0, 1, 2, 3],
  },
  {
    name: 'gru',
    ours: () => gru(I, H),
    theirs: () => tf.layers.gru({ units: H, returnSequences: true, recurrentActivation: 'sigmoid' }),
    order: [1, 0, 2],
  },
];

describe('recurrent layers equal TensorFlow.js layers given the same weights', () => {
  for (const { name, ours, theirs, order } of cases) {
    it(`${name}: every step's output to 1e-5`, () => {
      manualSeed(3);
      const layer = ours();
      const x = new T.Rng(11).normal([B, TIME, I]);
      const got = stackTime(layer.forward(new Tensor(x)).outputs).value;

      const expected = runTfjs(theirs(), toTfjs(layer.cells[0]!, order), x);
      expect(got.shape).toEqual([B, TIME, H]);
      const actual = got.toTypedArray();
      let worst = 0;
      for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(actual[k]! - expected[k]!));
      expect(worst).toBeLessThan(1e-5);
      // The mapping matters: a wrong gate order gives a different answer.
      if (order.length > 1) {
        const reversed = order.map((_, k) => k).reverse();
        const off = runTfjs(theirs(), toTfjs(layer.cells[0]!, reversed), x);
        expect(Math.max(...off.map((v, k) => Math.abs(v - actual[k]!)))).toBeGreaterThan(1e-2);
      }
    });
  }
});

describe('gradcheck of every cell in float64, through three steps', () => {
  const cells: [string, () => RecurrentCell][] = [
    ['RNNCell tanh', () => new RNNCell(I, H)],
    ['RNNCell relu', () => new RNNCell(I, H, 'relu')],
    ['LSTMCell', () => new LSTMCell(I, H)],
    ['GRUCell (reset before, Cho et al.)', () => new GRUCell(I, H)],
    ['GRUCell (reset after, PyTorch)', () => new GRUCell(I, H, { resetAfter: true })],
  ];
  for (const [name, make] of cells) {
    it(`${name}: weights, biases, inputs and initial state`, () => {
      manualSeed(5);
      const cell = make().to('float64');
      const rng = new T.Rng(7);
      const leaf = (shape: number[]) =>
        new Tensor(rng.normal(shape).astype('float64'), { requiresGrad: true });
      const xs = [leaf([2, I]), leaf([2, I]), leaf([2, I])];
      const h0 = leaf([2, H]);
      const c0 = leaf([2, H]);
      const mix = new Tensor(rng.normal([2, H]).astype('float64'));
      const loss = () => {
        let state = cell.kind === 'lstm' ? { h: h0, c: c0 } : { h: h0 };
        for (const x of xs) state = cell.forward(x, state);
        const out = state.c ? state.h.add(state.c.mul(0.5)) : state.h;
        return sum(out.mul(mix));
      };
      const inputs = [...cell.parameters(), ...xs, h0, ...(cell.kind === 'lstm' ? [c0] : [])];
      const result = gradcheck(loss, inputs);
      expect(result.maxRelativeError).toBeLessThan(1e-6);
    });
  }
});

describe('recurrent layers: shapes, stacking and bad input', () => {
  it('a two-layer LSTM feeds layer 1 with layer 0’s outputs and returns each layer’s final state', () => {
    manualSeed(1);
    const layer = lstm(I, H, 2);
    const x = new T.Rng(2).normal([B, TIME, I]);
    const { outputs, states } = layer.forward(new Tensor(x));
    expect(outputs).toHaveLength(TIME);
    expect(states).toHaveLength(2);
    expect(states[1]!.h.value.toTypedArray()).toEqual(outputs.at(-1)!.value.toTypedArray());
    // Running the same input as per-step tensors gives the same result.
    const steps = Array.from({ length: TIME }, (_, t) => new Tensor(x.slice(null, t)));
    expect(layer.forward(steps).outputs.at(-1)!.value.toTypedArray()).toEqual(
      outputs.at(-1)!.value.toTypedArray(),
    );
    expect(layer.namedParameters().map(([n]) => n)).toEqual([
      'cells.0.weightIh',
      'cells.0.weightHh',
      'cells.0.biasIh',
      'cells.0.biasHh',
      'cells.1.weightIh',
      'cells.1.weightHh',
      'cells.1.biasIh',
      'cells.1.biasHh',
    ]);
  });

  it('says what is wrong', () => {
    const layer = lstm(I, H);
    expect(() => layer.forward(new Tensor(T.zeros([B, TIME, I + 1])))).toThrow(
      `Recurrent: input must be [batch, time, ${I}] (or one [batch, ${I}] per step), got [${B},${TIME},${I + 1}]`,
    );
    expect(() => layer.forward([])).toThrow('Recurrent: the sequence is empty (time = 0)');
    expect(() => layer.forward(new Tensor(T.zeros([B, TIME, I])), [])).toThrow(
      '0 initial states for 1 layers',
    );
    const cell = new LSTMCell(I, H);
    expect(() => cell.forward(new Tensor(T.zeros([B, I])), { h: new Tensor(T.zeros([B, H])) })).toThrow(
      'LSTMCell: the state has no c (an LSTM state is { h, c })',
    );
    expect(() =>
      cell.forward(new Tensor(T.zeros([B, I])), {
        h: new Tensor(T.zeros([B, H + 1])),
        c: new Tensor(T.zeros([B, H])),
      }),
    ).toThrow(`LSTMCell: state h must be [${B}, ${H}], got [${B},${H + 1}]`);
    expect(() => new GRUCell(0, H)).toThrow('GRUCell: inputSize must be a whole number ≥ 1, got 0');
  });
});
