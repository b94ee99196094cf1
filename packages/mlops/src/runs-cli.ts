import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatTable } from '@mle/report';
import type { Json } from './pipeline.js';
import { runsReportHtml } from './runs-report.js';
import type { RunStatus, RunSummary, TrackingStore } from './tracking.js';

const show = (v: Json | undefined) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

export interface ComparisonRow {
  label: string;
  values: string[];
  /** True when the runs do not all have the same value. */
  differs: boolean;
}

/** Runs side by side: one row per field, parameter and metric, one value per run (the text and HTML views). */
export function comparisonRows(runs: readonly RunSummary[]): ComparisonRow[] {
  const params = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.latest)))].sort();
  const row = (label: string, values: string[]): ComparisonRow => ({
    label,
    values,
    differs: values.some((v) => v !== values[0]),
  });
  return [
    row(
      'experiment',
      runs.map((r) => r.experiment),
    ),
    row(
      'status',
      runs.map((r) => r.status),
    ),
    row(
      'data',
      runs.map((r) => (r.dataFingerprint ?? '').slice(0, 12)),
    ),
    row(
      'commit',
      runs.map((r) => (r.gitCommit ?? '').slice(0, 12)),
    ),
    ...params.map((p) =>
      row(
        `param ${p}`,
        runs.map((r) => show(r.params[p])),
      ),
    ),
    ...metrics.map((m) =>
      row(
        `metric ${m}`,
        runs.map((r) => (r.latest[m] === undefined ? '' : String(r.latest[m]))),
      ),
    ),
  ];
}

/** Runs side by side as a text table; rows where the runs differ marked ≠. */
export function compareTable(runs: readonly RunSummary[]): string {
  return formatTable(
    ['', '', ...runs.map((r) => r.id.slice(0, 8))],
    comparisonRows(runs).map((r) => [r.differs ? '≠' : '', r.label, ...r.values]),
  );
}

/**
 * `runs list [--experiment E] [--status S] [--param key=value]…`, `runs show ID`, `runs compare ID ID…` (an id
 * prefix is enough when it is unique), `runs report [filters] [--out FILE]` (the HTML report). Returns what to print;
 * throws naming what was wrong.
 */
export async function runsCli(
  store: TrackingStore,
  argv: string[],
  options: { reportPath?: string } = {},
): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    allowPositionals: true,
    options: {
      experiment: { type: 'string' },
      status: { type: 'string' },
      param: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
    },
  });
  const [command, ...ids] = positionals;
  const all = await store.listRuns();
  const find = (prefix: string) => {
    const matches = all.filter((r) => r.id.startsWith(prefix));
    if (matches.length !== 1)
      throw new Error(
        `run id "${prefix}" matches ${matches.length} runs; give a longer prefix of one run's id`,
      );
    return matches[0]!;
  };
  const filtered = async () => {
    if (values.status && !['running', 'finished', 'failed'].includes(values.status))
      throw new Error(`--status must be running, finished or failed, got "${values.status}"`);
    const params: Record<string, Json> = {};
    for (const p of values.param ?? []) {
      const eq = p.indexOf('=');
      if (eq < 1) throw new Error(`--param takes key=value (the value as JSON, or a string), got "${p}"`);
      const text = p.slice(eq + 1);
      let value: Json;
      try {
        value = JSON.parse(text) as Json;
      } catch {
        value = text;
      }
      params[p.slice(0, eq)] = value;
    }
    return store.listRuns({
      experiment: values.experiment,
      status: values.status as RunStatus | undefined,
      params,
    });
  };
  if (command === 'report' && ids.length === 0) {
    const runs = await Promise.all((await filtered()).map((r) => store.getRun(r.id)));
    const out = values.out ?? options.reportPath;
    if (!out) throw new Error('report: --out FILE is required');
    writeFileSync(out, await runsReportHtml(runs));
    return `wrote a report of ${runs.length} runs to ${out}`;
  }
  if (command === 'list') {
    const runs = await filtered();
    return formatTable(
      ['run', 'experiment', 'status', 'started', 'seconds', 'params', 'metrics'],
      runs.map((r) => [
        r.id.slice(0, 8),
        r.experiment,
        r.status,
        new Date(r.startedAt).toISOString().slice(0, 19),
        r.durationMs === null ? '' : (r.durationMs / 1000).toFixed(1),
        Object.entries(r.params)
          .map(([k, v]) => `${k}=${show(v)}`)
          .join(' '),
        Object.entries(r.latest)
          .map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`)
          .join(' '),
      ]),
    );
  }
  if (command === 'show' && ids.length === 1) {
    const run = await store.getRun(find(ids[0]!).id);
    return [
      compareTable([run]),
      formatTable(
        ['metric', 'step', 'value'],
        run.metrics.map((m) => [m.key, String(m.step), String(m.value)]),
      ),
      formatTable(
        ['artifact', 'sha256', 'path'],
        run.artifacts.map((a) => [a.name, a.sha256.slice(0, 12), a.path]),
      ),
    ].join('\n');
  }
  if (command === 'compare' && ids.length >= 2) return compareTable(ids.map(find));
  throw new Error(
    'usage: runs list [--experiment E] [--status S] [--param key=value]… | runs show ID | runs compare ID ID… | runs report [the list filters] [--out FILE]',
  );
}
