import { readFileSync } from 'node:fs';
import type { DuckDB } from './engine.js';

/**
 * The pipeline's queries, one per file in sql/, each kept to the dialect DuckDB and Spark SQL share, in the order
 * they run: each reads `events` and the tables built before it (ranking_examples joins the three feature tables).
 */
export const QUERIES = [
  'user_features',
  'daily_revenue',
  'item_features',
  'interactions',
  'ranking_examples',
] as const;
export type QueryName = (typeof QUERIES)[number];

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** A query's SQL text as the file holds it, placeholders and all. */
export function querySource(name: QueryName): string {
  return readFileSync(new URL(`../sql/${name}.sql`, import.meta.url), 'utf8');
}

/** A cutoff 'YYYY-MM-DD hh:mm:ss' (UTC, as the SQL reads it) in epoch milliseconds, for the non-SQL engines. */
export function cutoffMs(cutoff: string): number {
  checkCutoff(cutoff, 'cutoffMs');
  return Date.parse(`${cutoff.replace(' ', 'T')}Z`);
}

function checkCutoff(cutoff: string, where: string): void {
  if (!TIMESTAMP.test(cutoff))
    throw new RangeError(
      `${where}: cutoff must look like 'YYYY-MM-DD hh:mm:ss', got ${JSON.stringify(cutoff)}`,
    );
}

/**
 * A query with its `{{cutoff}}` placeholder filled: a timestamp 'YYYY-MM-DD hh:mm:ss' (checked, so nothing but a
 * timestamp reaches the SQL). Features read only rows before the cutoff; labels only rows after it.
 */
export function querySql(name: QueryName, cutoff: string): string {
  checkCutoff(cutoff, 'querySql');
  const sql = querySource(name).replaceAll('{{cutoff}}', cutoff);
  const left = sql.match(/\{\{\w+\}\}/);
  if (left) throw new Error(`querySql: ${name}.sql has a placeholder ${left[0]} this pipeline does not fill`);
  return sql;
}

export interface UserFeatures {
  user_id: number;
  events: number;
  clicks: number;
  purchases: number;
  revenue: number;
  sessions: number;
  /** Epoch milliseconds of the user's last event before the cutoff. */
  last_seen: number;
  bought_next_week: number;
}

export interface DailyRevenue {
  /** The day, 'YYYY-MM-DD'. */
  day: string;
  purchases: number;
  revenue: number;
  running_revenue: number;
  previous_revenue: number | null;
}

/** Runs user_features.sql on the `events` table. */
export async function userFeatures(db: DuckDB, cutoff: string): Promise<UserFeatures[]> {
  const rows = await db.rows(querySql('user_features', cutoff));
  return rows.map((r) => ({ ...(r as unknown as UserFeatures), last_seen: (r.last_seen as Date).getTime() }));
}

/** Runs daily_revenue.sql on the `events` table. */
export async function dailyRevenue(db: DuckDB, cutoff: string): Promise<DailyRevenue[]> {
  const rows = await db.rows(querySql('daily_revenue', cutoff));
  return rows.map((r) => ({
    ...(r as unknown as DailyRevenue),
    day: (r.day as Date).toISOString().slice(0, 10),
  }));
}

/** Builds every query's table (`CREATE OR REPLACE TABLE <name> AS <query>`), in QUERIES order, from `events`. */
export async function buildFeatureTables(
  db: DuckDB,
  cutoff: string,
  onTable?: (name: QueryName) => void,
): Promise<void> {
  for (const name of QUERIES) {
    await db.run(`CREATE OR REPLACE TABLE ${name} AS ${querySql(name, cutoff)}`);
    onTable?.(name);
  }
}
