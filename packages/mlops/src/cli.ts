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

/**
 * `pipeline [--root DIR] [--from STEP] [--force STEP]...`: runs the steps with a progress bar on a terminal and
 * prints the summary. Returns the reports and the root used; throws on a bad flag or a failed step, naming it.
 */
export async function pipelineCli(
  steps: readonly Step[],
  argv: string[],
  defaultRoot: string,
): Promise<{ reports: StepReport[]; root: string }> {
  const { values } = parseArgs({
    // `pnpm run-pipeline -- --from x` passes the separator through.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      root: { type: 'string', default: defaultRoot },
      from: { type: 'string' },
      force: { type: 'string', multiple: true, default: [] },
    },
  });
  const progress = createProgress({ label: 'pipeline', total: steps.length });
  const reports = await runPipeline(steps, {
    root: values.root!,
    from: values.from,
    force: values.force,
    onEvent: (e) => {
      if (e.type === 'finish') progress.increment(1, { step: e.report.step, [e.report.status]: '' });
    },
  });
  progress.stop();
  console.log(summaryTable(reports));
  return { reports, root: values.root! };
}
