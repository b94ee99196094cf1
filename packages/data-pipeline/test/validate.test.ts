import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DuckDB,
  EVENTS_SCHEMA,
  formatReport,
  generateEvents,
  SAMPLE_ROWS,
  type TableSchema,
  ValidationError,
  validateAll,
  validateTable,
} from '../src/index.js';

let db: DuckDB;
const asOf = Date.parse('2026-01-29T00:00:00Z'); // the end of the generated log's four weeks

beforeAll(async () => {
  db = await DuckDB.open();
  await generateEvents(db, { rows: 20_000, seed: 1 });
});
afterAll(() => db.close());

/** A copy of the events with `sql` applied, validated against the events schema. */
async function brokenBy(sql: string, schema: TableSchema = EVENTS_SCHEMA) {
  await db.run('CREATE OR REPLACE TABLE events_copy AS SELECT * FROM events');
  await db.run(sql.replaceAll('events', 'events_copy'));
  return validateTable(db, { ...schema, table: 'events_copy' }, { asOf });
}

describe('a table checked against its schema in the engine', () => {
  it('the generated log passes every rule', async () => {
    const report = await validateTable(db, EVENTS_SCHEMA, { asOf });
    expect(report.failures).toEqual([]);
    expect(report.rows).toBe(20_000);
    expect(report.checked).toBeGreaterThan(15);
  });

  it('each broken rule is named with its column, the count and the first offending rows', async () => {
    const report = await brokenBy(
      "UPDATE events SET event_type = 'purchse' WHERE event_id IN (5, 9, 13, 200); UPDATE events SET user_id = -1 WHERE event_id = 7; UPDATE events SET price = -2.5 WHERE event_id = (SELECT MIN(event_id) FROM events WHERE event_type = 'purchase')",
    );
    const byColumn = Object.fromEntries(report.failures.map((f) => [f.column, f]));
    expect(byColumn.event_type).toMatchObject({
      rule: 'one of view, click, purchase',
      count: 4,
      unit: 'rows',
    });
    expect(byColumn.event_type!.sample.map((r) => r.event_id)).toEqual([5, 9, 13].slice(0, SAMPLE_ROWS));
    expect(byColumn.user_id).toMatchObject({ rule: '≥ 0', count: 1 });
    expect(byColumn.user_id!.sample[0]).toMatchObject({ event_id: 7, user_id: -1 });
    // The purchase with a negative price, and the four rows that stopped being purchases but kept a price or not.
    expect(byColumn.price!.rule).toBe('a positive price, on purchases only');
    expect(byColumn.price!.sample.some((r) => r.price === -2.5)).toBe(true);
    const text = formatReport(report);
    expect(text).toContain('table events_copy: 20000 rows');
    expect(text).toContain('✗ event_type: one of view, click, purchase — 4 rows');
    expect(text).toMatch(/event_id=5 user_id=\d+ item_id=\d+ event_type="purchse"/);
  });

  it('nulls, duplicates, composite keys and row counts', async () => {
    const report = await brokenBy(
      'UPDATE events SET ts = NULL WHERE event_id = 3; UPDATE events SET event_id = 10 WHERE event_id = 11; INSERT INTO events SELECT event_id + 1000000, user_id, item_id, event_type, ts, price FROM events WHERE event_id = 2',
      { ...EVENTS_SCHEMA, rows: { min: 1, max: 100 }, keys: [['user_id', 'ts']] },
    );
    const rules = report.failures.map((f) => `${f.column}: ${f.rule} (${f.count})`);
    expect(rules).toContain('ts: not null (1)');
    expect(rules).toContain('event_id: unique (2)');
    expect(rules).toContain('(table): at most 100 rows (has 20001) (20001)');
    expect(rules).toContain('user_id, ts: unique together (2)');
  });

  it('a stale table fails freshness; an empty one fails its row count', async () => {
    const stale = await brokenBy("DELETE FROM events WHERE ts >= TIMESTAMP '2026-01-25 00:00:00'");
    expect(stale.failures).toHaveLength(1);
    expect(stale.failures[0]!.rule).toMatch(
      /^fresh: newest within 24 h of 2026-01-29T00:00:00.000Z \(newest 2026-01-24T23:5\d/,
    );
    const empty = await brokenBy('DELETE FROM events');
    expect(empty.failures.map((f) => f.rule)).toEqual([
      'at least 1 rows (has 0)',
      expect.stringMatching(/^fresh: .*newest none/),
    ]);
  });

  it('schema drift and wrong types are reported before any row rule runs', async () => {
    const report = await brokenBy(
      'ALTER TABLE events DROP COLUMN price; ALTER TABLE events ADD COLUMN coupon VARCHAR; ALTER TABLE events ALTER user_id TYPE VARCHAR',
    );
    expect(report.failures.map((f) => [f.column, f.rule, f.unit])).toEqual([
      ['price', 'present (missing from the table)', 'columns'],
      ['coupon', 'expected (not in the schema)', 'columns'],
      ['user_id', 'type INTEGER (is VARCHAR)', 'columns'],
    ]);
  });

  it('validateAll throws with every report when any table fails', async () => {
    await brokenBy("UPDATE events SET event_type = 'refund' WHERE event_id = 1");
    const error = await validateAll(db, [EVENTS_SCHEMA, { ...EVENTS_SCHEMA, table: 'events_copy' }], {
      asOf,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).reports.map((r) => r.failures.length)).toEqual([0, 1]);
    expect((error as Error).message).toContain('validation failed, nothing written');
    expect((error as Error).message).toContain('✗ event_type: one of view, click, purchase — 1 row');
  });
});
