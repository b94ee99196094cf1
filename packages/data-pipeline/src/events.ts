import type { DuckDB } from './engine.js';

export interface EventLogOptions {
  /** Rows of the log. */
  rows: number;
  /** Distinct users and items the rows draw from (default rows / 50 and rows / 200, at least 10). */
  users?: number;
  items?: number;
  /** Days the log spans, from 2026-01-01 (default 28). */
  days?: number;
  seed?: number;
}

/** The first day of every generated log. */
export const LOG_START = '2026-01-01 00:00:00';

/**
 * A seeded synthetic event log as the table `events` (event_id, user_id, item_id, event_type, ts, price), made in
 * DuckDB from `range()`: each row's random draws are hashes of (row, seed, draw), so the same options give the same
 * log on any machine with this DuckDB version, and 10M rows take seconds. Skewed as real logs are: user and item ids
 * are drawn from power laws (a few heavy users, a few hit items), 85% of events are views, 12% clicks and 3%
 * purchases, and timestamps spread over the days with each row's own jitter. This generator is DuckDB SQL; the
 * pipeline's own SQL (sql/*.sql) is the portable part.
 */
export function eventLogSql(options: EventLogOptions): string {
  const { rows, seed = 0, days = 28 } = options;
  const users = options.users ?? Math.max(10, Math.floor(rows / 50));
  const items = options.items ?? Math.max(10, Math.floor(rows / 200));
  for (const [name, v] of Object.entries({ rows, users, items, days, seed }))
    if (!Number.isSafeInteger(v) || v < (name === 'seed' ? 0 : 1) || (name === 'seed' && v >= 2 ** 20))
      throw new RangeError(
        `eventLogSql: ${name} must be a whole number ${name === 'seed' ? 'in [0, 2^20)' : '≥ 1'}, got ${v}`,
      );
  if (rows >= 2 ** 27)
    throw new RangeError(
      `eventLogSql: at most 2^27 rows (the draws' integer must not overflow), got ${rows}`,
    );
  // A uniform draw in [0, 1): the top 53 bits of the 64-bit hash of one integer made of (seed, row, draw). (Hashing
  // the three as separate arguments combines their hashes too weakly: draws of one row came out correlated.)
  const u = (draw: number) =>
    `((hash(CAST(${seed} AS BIGINT) * 4294967296 + i * 16 + ${draw}) >> 11)::DOUBLE / 9007199254740992.0)`;
  const seconds = days * 86_400;
  return `
CREATE OR REPLACE TABLE events AS
SELECT
  i AS event_id,
  CAST(floor(${users} * pow(${u(1)}, 2.5)) AS INTEGER) AS user_id,
  CAST(floor(${items} * pow(${u(2)}, 2.0)) AS INTEGER) AS item_id,
  CASE WHEN ${u(3)} < 0.03 THEN 'purchase' WHEN ${u(3)} < 0.15 THEN 'click' ELSE 'view' END AS event_type,
  TIMESTAMP '${LOG_START}' + to_seconds(CAST(floor((i + ${u(4)}) * ${seconds} / ${rows}) AS BIGINT)) AS ts,
  CASE WHEN ${u(3)} < 0.03 THEN CAST(5 + 1.5 * (CAST(floor(${items} * pow(${u(2)}, 2.0)) AS INTEGER) % 97) AS DOUBLE) END AS price
FROM range(${rows}) t(i)`;
}

/** Creates (or replaces) the `events` table. */
export async function generateEvents(db: DuckDB, options: EventLogOptions): Promise<void> {
  await db.run(eventLogSql(options));
}
