import { LOG_START } from './events.js';
import type { QueryName } from './pipeline.js';
import type { TableSchema } from './validate.js';

const count = { type: 'BIGINT', min: 0 } as const;

/**
 * The event log as the pipeline accepts it. Freshness: the log must reach the end of the label window (the cutoff
 * plus 7 days, the run's `asOf`) to within a day, or next week's labels would be counted from a week that is not all
 * there.
 */
export const EVENTS_SCHEMA: TableSchema = {
  table: 'events',
  columns: {
    event_id: { type: 'BIGINT', min: 0, unique: true },
    user_id: { type: 'INTEGER', min: 0 },
    item_id: { type: 'INTEGER', min: 0 },
    event_type: { type: 'VARCHAR', allowed: ['view', 'click', 'purchase'] },
    ts: { type: 'TIMESTAMP', min: LOG_START },
    price: {
      type: 'DOUBLE',
      nullable: true,
      check: { sql: "event_type = 'purchase' AND price > 0", says: 'a positive price, on purchases only' },
    },
  },
  rows: { min: 1 },
  freshness: { column: 'ts', maxAgeHours: 24 },
};

/** What each query must produce: checked after the queries run and before anything is written. */
export const OUTPUT_SCHEMAS: Readonly<Record<QueryName, TableSchema>> = {
  user_features: {
    table: 'user_features',
    columns: {
      user_id: { type: 'INTEGER', min: 0, unique: true },
      events: { type: 'BIGINT', min: 1 },
      clicks: count,
      purchases: count,
      revenue: { type: 'DOUBLE', min: 0 },
      sessions: { type: 'BIGINT', min: 1, check: { sql: 'sessions <= events', says: 'sessions ≤ events' } },
      last_seen: { type: 'TIMESTAMP', min: LOG_START },
      bought_next_week: { type: 'INTEGER', allowed: [0, 1] },
    },
    rows: { min: 1 },
  },
  daily_revenue: {
    table: 'daily_revenue',
    columns: {
      day: { type: 'DATE', unique: true },
      purchases: { type: 'BIGINT', min: 1 },
      revenue: { type: 'DOUBLE', min: 0 },
      running_revenue: {
        type: 'DOUBLE',
        min: 0,
        check: { sql: 'running_revenue >= revenue - 1e-6', says: 'running total ≥ the day' },
      },
      previous_revenue: { type: 'DOUBLE', nullable: true, min: 0 },
    },
  },
  item_features: {
    table: 'item_features',
    columns: {
      item_id: { type: 'INTEGER', min: 0, unique: true },
      events: { type: 'BIGINT', min: 1 },
      views: count,
      clicks: count,
      purchases: count,
      users: { type: 'BIGINT', min: 1 },
      click_rate: { type: 'DOUBLE', min: 0, max: 1 },
      purchase_rate: { type: 'DOUBLE', min: 0, max: 1 },
      popularity_rank: { type: 'BIGINT', min: 1 },
    },
    rows: { min: 1 },
  },
  interactions: {
    table: 'interactions',
    columns: {
      user_id: { type: 'INTEGER', min: 0 },
      item_id: { type: 'INTEGER', min: 0 },
      views: count,
      clicks: count,
      purchases: count,
      strength: { type: 'BIGINT', min: 1 },
      first_seen: { type: 'TIMESTAMP', min: LOG_START },
      last_seen: {
        type: 'TIMESTAMP',
        min: LOG_START,
        check: { sql: 'last_seen >= first_seen', says: 'last seen ≥ first seen' },
      },
    },
    keys: [['user_id', 'item_id']],
    rows: { min: 1 },
  },
  ranking_examples: {
    table: 'ranking_examples',
    columns: {
      user_id: { type: 'INTEGER', min: 0 },
      item_id: { type: 'INTEGER', min: 0 },
      relevance: { type: 'INTEGER', allowed: [0, 1, 2] },
      user_events: count,
      user_purchases: count,
      user_sessions: count,
      item_events: count,
      item_click_rate: { type: 'DOUBLE', min: 0, max: 1 },
      item_purchase_rate: { type: 'DOUBLE', min: 0, max: 1 },
      pair_strength: count,
      pair_last_seen: { type: 'TIMESTAMP', nullable: true, min: LOG_START },
    },
    keys: [['user_id', 'item_id']],
    rows: { min: 1 },
  },
};
