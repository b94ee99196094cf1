import { crossEntropy, manualSeed, Tensor } from '@mle/autograd';
import { mnistArrays } from '@mle/autograd/mnist';
import { fromTypedArray } from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import { bubbleFormula, buildMlp, pipelineSchedule, runPipeline, simulatePipeline } from '../src/index.js';

const text = (ops: { kind: string; micro: number }[]) => ops.map((o) => `${o.kind}${o.micro}`).join(' ');

describe('pipeline schedules', () => {
  it('GPipe runs every forward, then every backward; 1F1B warms up p − s − 1 forwards, alternates, then drains', () => {
    expect(text(pipelineSchedule('gpipe', 0, 2, 3))).toBe('F0 F1 F2 B0 B1 B2');
    expect(text(pipelineSchedule('1f1b', 0, 2, 3))).toBe('F0 F1 B0 F2 B1 B2');
    expect(text(pipelineSchedule('1f1b', 1, 2, 3))).toBe('F0 B0 F1 B1 F2 B2');
    expect(text(pipelineSchedule('1f1b', 0, 4, 6))).toBe('F0 F1 F2 F3 B0 F4 B1 F5 B2 B3 B4 B5');
    expect(text(pipelineSchedule('1f1b', 0, 4, 2))).toBe('F0 F1 B0 B1');
  });

  it('on an idealized machine both bubbles are (p − 1)/(m + p − 1), for m = 1…16 and p = 2…4', () => {
    for (const kind of ['gpipe', '1f1b'] as const)
      for (let p = 2; p <= 4; p++)
        for (let m = 1; m <= 16; m++)
          expect(simulatePipeline(kind, p, m).bubble, `${kind} p=${p} m=${m}`).toBeCloseTo(
            bubbleFormula(p, m),
            12,
          );
  });

  it('1F1B holds at most p − s micro-batches’ activations on stage s; GPipe holds all m', () => {
    expect(simulatePipeline('gpipe', 4, 8).peakInFlight).toEqual([8, 8, 8, 8]);
    expect(simulatePipeline('1f1b', 4, 8).peakInFlight).toEqual([4, 3, 2, 1]);
  });
});

describe('a two-stage pipeline (two worker threads) computes the unsplit model’s gradients', () => {
  const options = { layers: [784, 64, 48, 32, 10], batch: 32, seed: 3 };
  function unsplit() {
    manualSeed(options.seed);
    const model = buildMlp(options.layers);
    const { train } = mnistArrays({ seed: options.seed });
    const x = fromTypedArray((train.x.data as Float32Array).slice(0, options.batch * 784), [
      options.batch,
      784,
    ]);
    const y = fromTypedArray((train.y.data as Int32Array).slice(0, options.batch), [options.batch]);
    const loss = crossEntropy(model.forward(new Tensor(x)), y);
    loss.backward();
    return {
      loss: loss.item(),
      gradients: model.parameters().flatMap((p) => Array.from(p.grad!.toTypedArray())),
    };
  }

  it.each([
    ['gpipe', 1],
    ['gpipe', 4],
    ['1f1b', 4],
    ['1f1b', 8],
  ] as const)('%s with %i micro-batches', async (schedule, micro) => {
    const { stages } = await runPipeline({ ...options, schedule, micro });
    const expected = unsplit();
    const gradients = [...stages[0]!.gradients, ...stages[1]!.gradients];
    expect(gradients.length).toBe(expected.gradients.length);
    const worst = gradients.reduce((m, g, i) => Math.max(m, Math.abs(g - expected.gradients[i]!)), 0);
    expect(worst).toBeLessThan(1e-6);
    expect(stages[1]!.loss).toBeCloseTo(expected.loss, 5);
    expect(stages.map((s) => s.intervals.length)).toEqual([2 * micro, 2 * micro]);
    expect(stages[0]!.peakInFlight).toBe(schedule === 'gpipe' ? micro : 2);
  });
});
