/**
 * The training image's entry point: one job, as the cloud training samples shape it. Hyperparameters are flags, the
 * data is read from a mounted directory, the model is written where AIP_MODEL_DIR (set by Vertex AI) or --model-dir
 * points, and every evaluation is reported as cloudml-hypertune reports it.
 *
 *   train-cli trial --data DIR [--lr 0.001 --hidden 128 --batch-size 64 --dropout 0.1 --epochs 5 --seed 0]
 *   train-cli trial --data DIR --trials FILE          the trial's hyperparameters from FILE (a JSON array),
 *                                                       entry JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)
 *   train-cli data-parallel --data DIR [--layers 784,128,10 --global-batch 128 --steps 100 --lr 0.05 --momentum 0.9]
 *                                                       one rank of a job over TCP: RANK (or JOB_COMPLETION_INDEX),
 *                                                       WORLD_SIZE, MASTER_ADDR, MASTER_PORT
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Module, saveStateDict } from '@mle/autograd';
import { buildMlp, type DataParallelConfig, trainReplica } from './data-parallel.js';
import { reportHypertuneMetric } from './hypertune.js';
import { reportFailure, runRank } from './launch.js';
import { trainMnistTrial } from './search/mnist-trial.js';
import type { Config } from './search/space.js';

class UsageError extends Error {}

const { positionals, values } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        'model-dir': { type: 'string' },
        'metric-tag': { type: 'string', default: 'dev_accuracy' },
        trials: { type: 'string' },
        lr: { type: 'string' },
        hidden: { type: 'string', default: '128' },
        'batch-size': { type: 'string', default: '64' },
        dropout: { type: 'string', default: '0.1' },
        epochs: { type: 'string', default: '5' },
        seed: { type: 'string', default: '0' },
        layers: { type: 'string', default: '784,128,10' },
        'global-batch': { type: 'string', default: '128' },
        steps: { type: 'string', default: '100' },
        momentum: { type: 'string', default: '0.9' },
      },
    });
  } catch (error) {
    console.error(`train-cli: ${(error as Error).message}`);
    process.exit(2);
  }
})();

function number(
  name: string,
  text: string | undefined,
  check: (v: number) => boolean,
  expected: string,
): number {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v) || !check(v))
    throw new UsageError(`--${name} must be ${expected}, got ${JSON.stringify(text ?? null)}`);
  return v;
}
const whole = (name: string, min = 1) =>
  number(
    name,
    values[name as keyof typeof values] as string,
    (v) => Number.isInteger(v) && v >= min,
    `a whole number ≥ ${min}`,
  );

function dataDir(): string {
  const dir = values.data;
  if (!dir)
    throw new UsageError('--data is required: the directory holding the MNIST digit files (0.json … 9.json)');
  if (!existsSync(join(dir, '0.json')))
    throw new UsageError(`--data ${dir} holds no 0.json: expected the MNIST digit files 0.json … 9.json`);
  return dir;
}

function modelDir(): string {
  const dir = values['model-dir'] ?? process.env.AIP_MODEL_DIR;
  if (!dir)
    throw new UsageError('no model directory: set AIP_MODEL_DIR (as Vertex AI does) or pass --model-dir');
  if (dir.startsWith('gs://'))
    throw new UsageError(
      `AIP_MODEL_DIR is ${dir}: mount the bucket (Cloud Storage FUSE, /gcs/…) and name the path`,
    );
  mkdirSync(dir, { recursive: true });
  return dir;
}

const saveModel = (model: Module, dir: string) => saveStateDict(model.stateDict(), join(dir, 'model'));
const saveSummary = (dir: string, summary: Record<string, unknown>) =>
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);

function trialConfig(): { config: Config; trial: string } {
  if (values.trials) {
    const index = number(
      'JOB_COMPLETION_INDEX',
      process.env.JOB_COMPLETION_INDEX,
      (v) => Number.isInteger(v) && v >= 0,
      'the pod’s completion index (a whole number)',
    );
    let trials: unknown;
    try {
      trials = JSON.parse(readFileSync(values.trials, 'utf8'));
    } catch (error) {
      throw new UsageError(`--trials ${values.trials}: ${(error as Error).message}`);
    }
    if (!Array.isArray(trials) || trials[index] === undefined)
      throw new UsageError(
        `--trials ${values.trials} has no entry ${index} (expected a JSON array of hyperparameter objects)`,
      );
    const t = trials[index] as Record<string, unknown>;
    const config = {
      lr: number('lr', String(t.lr), (v) => v > 0, 'a positive number'),
      hidden: number('hidden', String(t.hidden), (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1'),
      batchSize: number(
        'batch-size',
        String(t.batchSize ?? 64),
        (v) => Number.isInteger(v) && v >= 1,
        'a whole number ≥ 1',
      ),
      dropout: number('dropout', String(t.dropout ?? 0), (v) => v >= 0 && v < 1, 'in [0, 1)'),
    };
    return { config, trial: String(index) };
  }
  return {
    config: {
      lr: number('lr', values.lr ?? '0.001', (v) => v > 0, 'a positive number'),
      hidden: whole('hidden'),
      batchSize: whole('batch-size'),
      dropout: number('dropout', values.dropout, (v) => v >= 0 && v < 1, 'in [0, 1)'),
    },
    trial: process.env.CLOUD_ML_TRIAL_ID ?? '0',
  };
}

async function trial(): Promise<void> {
  const data = dataDir();
  const dir = modelDir();
  const { config, trial: id } = trialConfig();
  const epochs = whole('epochs');
  const seed = whole('seed', 0);
  const tag = values['metric-tag']!;
  console.log(`trial ${id}: ${JSON.stringify(config)}, ${epochs} epochs, data ${data}, model to ${dir}`);
  const env = { ...process.env, CLOUD_ML_TRIAL_ID: process.env.CLOUD_ML_TRIAL_ID ?? id };
  const scores = await trainMnistTrial(
    config,
    epochs,
    (epoch, score) => {
      console.log(reportHypertuneMetric(tag, score, epoch, env));
      return true;
    },
    { seed, dataDir: data, onTrained: (model) => saveModel(model, dir) },
  );
  saveSummary(dir, { config, epochs, seed, [tag]: scores });
}

async function dataParallel(): Promise<void> {
  const data = dataDir();
  const layers = (values.layers ?? '').split(',').map(Number);
  const config: DataParallelConfig = {
    layers,
    globalBatch: whole('global-batch'),
    steps: whole('steps'),
    lr: number('lr', values.lr ?? '0.05', (v) => v > 0, 'a positive number'),
    momentum: number('momentum', values.momentum, (v) => v >= 0 && v < 1, 'in [0, 1)'),
    seed: whole('seed', 0),
    dataDir: data,
  };
  buildMlp(layers); // refuses bad widths before any rank connects
  // A Kubernetes Indexed Job gives each pod its index; torchrun-style launchers give RANK.
  process.env.RANK ??= process.env.JOB_COMPLETION_INDEX;
  const dir = process.env.RANK === '0' ? modelDir() : undefined;
  await runRank(async (group) => {
    const log = await trainReplica(config, { kind: 'ring', link: group.ring });
    console.log(
      `rank ${group.rank}/${group.size}: loss ${log.losses[0]!.toFixed(4)} → ${log.losses.at(-1)!.toFixed(4)}`,
    );
    if (dir) {
      const model = buildMlp(layers);
      let at = 0;
      for (const p of model.parameters()) {
        p.value.data.set(log.parameters.slice(at, at + p.size));
        at += p.size;
      }
      saveModel(model, dir);
      saveSummary(dir, { config, losses: log.losses });
      console.log(reportHypertuneMetric('train_loss', log.losses.at(-1)!, config.steps));
    }
    return { rank: group.rank };
  });
}

const commands: Record<string, () => Promise<void>> = { trial, 'data-parallel': dataParallel };
const command = commands[positionals[0] ?? ''];
if (!command) {
  console.error(
    `train-cli: the command must be ${Object.keys(commands).join(' or ')}, got ${JSON.stringify(positionals[0] ?? null)}`,
  );
  process.exit(2);
}
try {
  await command();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`train-cli: ${error.message}`);
    process.exit(2);
  }
  reportFailure(error, Number(process.env.RANK ?? 0));
  console.error(`train-cli: ${(error as Error).message}`);
  process.exitCode = 1;
}
