/**
 * Data manipulation on an embedded analytical engine: a seeded synthetic event log generated in DuckDB, a pipeline
 * of portable SQL files (sql/*.sql) that builds leakage-free features, and the same pipeline as hand-written loops,
 * the reference the SQL is tested against.
 */
export { DuckDB, quoteIdentifier, sqlLiteral } from './engine.js';
export { type EventLogOptions, eventLogSql, generateEvents, LOG_START } from './events.js';
export { InputError, LISTED_BAD_ROWS, loadTable } from './load.js';
export {
  candidateProbability,
  chooseBands,
  estimatedJaccard,
  findNearDuplicates,
  hashSeeds,
  jaccard,
  type NearDuplicateOptions,
  type NearDuplicates,
  normalizeText,
  shingles,
  signature,
} from './minhash.js';
export {
  mobyDickParagraphs,
  type NearDupCorpus,
  nearDupCorpus,
  type PairScore,
  sampleWithCopies,
  scoreAgainstExact,
} from './near-dup-corpus.js';
export {
  buildFeatureTables,
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
export { CURRENT, currentVersion, publishAtomically } from './publish.js';
export {
  loadRealTables,
  REAL_QUERIES,
  REAL_TABLES,
  type RealQueryName,
  realQuery,
  realQuerySql,
} from './real.js';
export {
  columnsOf,
  type EventColumns,
  type EventRow,
  loopDailyRevenue,
  loopUserFeatures,
} from './reference.js';
export {
  partitionedEvents,
  type RunOptions,
  type RunResult,
  runPipeline,
  STAGES,
  type Stage,
} from './run.js';
export { EVENTS_SCHEMA, OUTPUT_SCHEMAS } from './schemas.js';
export {
  type ColumnRule,
  type ColumnType,
  formatReport,
  type RuleFailure,
  SAMPLE_ROWS,
  type TableSchema,
  ValidationError,
  type ValidationReport,
  validateAll,
  validateTable,
} from './validate.js';
