import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createProgress, formatTable } from '@mle/report';
import { runPipeline, type Step, type StepReport } from './pipeline.js';

/** A run's summary: each step, whether it ran or came from the cache, its key, content hash and (if asked) time. */
export function summaryTable(reports: readonly StepReport[], options: { timings?: boolean } = {}): string {
  const timings = options.timings ?? true;
  return formatTable(
    ['step', 'status', 'key', 'content hash', ...(timings ? ['ms'] : [])],
    reports.map((r) => [
      r.step,
      r.status,
      r.key.slice(0, 12),
      r.hash.slice(0, 12),
      ...(timings ? [r.ms.toFixed(0)] : []),
    ]),
    { align: ['left', 'left', 'left', 'left', 'right'] },
  );
}

export interface PipelineArgs {
  root: string;
  from?: string;
  force: string[];
  /** The model server repository the deploy step writes to. */
  repository: string;
}

/**
 * `run-pipeline [--root DIR] [--from STEP] [--force STEP]... [--repository DIR]`, parsed; a flag it does not know
 * is an error naming it. The repository defaults to <root>/model-repository.
 */
export function parsePipelineArgs(argv: string[], defaultRoot: string): PipelineArgs {
  const { values } = parseArgs({
    // `pnpm run-pipeline -- --from x` passes the separator through.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      root: { type: 'string', default: defaultRoot },
      from: { type: 'string' },
      force: { type: 'string', multiple: true, default: [] },
      repository: { type: 'string' },
    },
  });
  const root = values.root!;
  return {
    root,
    ...(values.from ? { from: values.from } : {}),
    force: values.force!,
    repository: values.repository ?? join(root, 'model-repository'),
  };
}

/** Runs the steps with a progress bar on a terminal and prints the summary; throws on a failed step, naming it. */
export async function runWithProgress(steps: readonly Step[], args: PipelineArgs): Promise<StepReport[]> {
  const progress = createProgress({ label: 'pipeline', total: steps.length });
  try {
    return await runPipeline(steps, {
      root: args.root,
      from: args.from,
      force: args.force,
      onEvent: (e) => {
        if (e.type === 'finish') progress.increment(1, { step: e.report.step, [e.report.status]: '' });
      },
    });
  } finally {
    progress.stop();
  }
}
