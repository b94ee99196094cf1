/**
 * Data manipulation on an embedded analytical engine: a seeded synthetic event log generated in DuckDB, a pipeline
 * of portable SQL files (sql/*.sql) that builds leakage-free features, and the same pipeline as hand-written loops,
 * the reference the SQL is tested against.
 */
export { DuckDB } from './engine.js';
export { type EventLogOptions, eventLogSql, generateEvents, LOG_START } from './events.js';
export {
  cutoffMs,
  type DailyRevenue,
  dailyRevenue,
  QUERIES,
  type QueryName,
  querySource,
  querySql,
  type UserFeatures,
  userFeatures,
} from './pipeline.js';
export { DUCKDB_ONLY, portabilityProblems } from './portable.js';
export {
  columnsOf,
  type EventColumns,
  type EventRow,
  loopDailyRevenue,
  loopUserFeatures,
} from './reference.js';
