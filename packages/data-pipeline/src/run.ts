import { join } from 'node:path';
import { DuckDB, sqlLiteral } from './engine.js';
import { loadTable } from './load.js';
import { buildFeatureTables, cutoffMs, QUERIES } from './pipeline.js';
import { publishAtomically } from './publish.js';
import { EVENTS_SCHEMA, OUTPUT_SCHEMAS } from './schemas.js';
import { type ValidationReport, validateAll } from './validate.js';

/** The stages of a run, in order; `onStage` is called as each one finishes. */
export const STAGES = [
  'load events',
  'validate events',
  ...QUERIES,
  'validate outputs',
  'write parquet',
  'read back',
  'publish',
] as const;
export type Stage = (typeof STAGES)[number];

export interface RunOptions {
  /** The event log: a CSV or Parquet file with EVENTS_SCHEMA's columns. */
  events: string;
  /** Where versions are published; readers use `<outDir>/current`. */
  outDir: string;
  /** Features read rows before it, labels the 7 days after: 'YYYY-MM-DD hh:mm:ss'. */
  cutoff: string;
  threads?: number;
  onStage?: (stage: Stage, done: number, total: number) => void;
}

export interface RunResult {
  /** The published version's directory. */
  version: string;
  /** Rows of the input and of each output table. */
  rows: Record<string, number>;
  reports: ValidationReport[];
}

/** Days of labels after the cutoff, which the log must cover (the freshness rule's clock). */
const LABEL_DAYS = 7;

/** The digest both sides of the Parquet round trip must agree on: a row count and an order-free hash of every row. */
const digest = (from: string) =>
  `SELECT COUNT(*) AS n, SUM(hash(event_id, user_id, item_id, event_type, ts, price)) AS h FROM ${from}`;

/** The events as written, read back from the date-partitioned Parquet folder (`day=YYYY-MM-DD/…`). */
export function partitionedEvents(dir: string): string {
  return `read_parquet(${sqlLiteral(join(dir, 'events', '**', '*.parquet'))}, hive_partitioning = true)`;
}

/**
 * The whole pipeline in one DuckDB: load the event log (refusing malformed input), validate it, build the feature
 * tables, validate them, write each as Parquet and the events partitioned by date, read the partitions back and check
 * they hold the same rows, then publish the set atomically. Anything that fails stops the run before `current` moves:
 * the previous outputs stay as they were.
 */
export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const { events, outDir, cutoff, onStage } = options;
  const asOf = cutoffMs(cutoff) + LABEL_DAYS * 86_400_000;
  let done = 0;
  const finished = (stage: Stage) => onStage?.(stage, ++done, STAGES.length);
  const db = await DuckDB.open({ threads: options.threads });
  try {
    const rows: Record<string, number> = { events: await loadTable(db, events, EVENTS_SCHEMA) };
    finished('load events');
    const reports = await validateAll(db, [EVENTS_SCHEMA], { asOf });
    finished('validate events');
    await buildFeatureTables(db, cutoff, finished);
    reports.push(...(await validateAll(db, Object.values(OUTPUT_SCHEMAS))));
    for (const r of reports) rows[r.table] = r.rows;
    finished('validate outputs');
    const version = await publishAtomically(outDir, async (dir) => {
      for (const name of QUERIES)
        await db.run(`COPY ${name} TO ${sqlLiteral(join(dir, `${name}.parquet`))} (FORMAT PARQUET)`);
      await db.run(
        `COPY (SELECT *, CAST(ts AS DATE) AS day FROM events) TO ${sqlLiteral(join(dir, 'events'))} (FORMAT PARQUET, PARTITION_BY (day))`,
      );
      finished('write parquet');
      const [written] = await db.rows(digest(partitionedEvents(dir)));
      const [loaded] = await db.rows(digest('events'));
      const [{ misplaced }] = (await db.rows(
        `SELECT COUNT(*) AS misplaced FROM ${partitionedEvents(dir)} WHERE day <> CAST(ts AS DATE)`,
      )) as [{ misplaced: number }];
      if (written?.n !== loaded?.n || written?.h !== loaded?.h || misplaced > 0)
        throw new Error(
          `the Parquet written to ${dir} does not read back as the events (${written?.n} rows against ${loaded?.n}, ${misplaced} in the wrong day)`,
        );
      for (const name of QUERIES) {
        const [{ n }] = (await db.rows(
          `SELECT COUNT(*) AS n FROM read_parquet(${sqlLiteral(join(dir, `${name}.parquet`))})`,
        )) as [{ n: number }];
        if (n !== rows[name]) throw new Error(`${name}.parquet reads back ${n} rows, expected ${rows[name]}`);
      }
      finished('read back');
    });
    finished('publish');
    return { version, rows, reports };
  } finally {
    db.close();
  }
}
