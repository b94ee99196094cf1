import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arqueroDailyRevenue, arqueroUserFeatures, readEvents as readArrow } from '../bench/arquero.js';
import { polarsDailyRevenue, polarsUserFeatures, readEvents as readParquet } from '../bench/polars.js';
import { readColumns } from '../bench/typescript.js';
import {
  cutoffMs,
  type DailyRevenue,
  DuckDB,
  dailyRevenue,
  generateEvents,
  loopDailyRevenue,
  loopUserFeatures,
  type UserFeatures,
  userFeatures,
} from '../src/index.js';

const CUTOFF = '2026-01-22 00:00:00';
const cutoffTime = cutoffMs(CUTOFF);
const dir = mkdtempSync(join(tmpdir(), 'data-pipeline-'));
let expectedUsers: UserFeatures[];
let expectedDays: DailyRevenue[];

beforeAll(async () => {
  const db = await DuckDB.open();
  try {
    await generateEvents(db, { rows: 50_000, seed: 5 });
    await db.run(`COPY events TO '${join(dir, 'events.parquet')}' (FORMAT parquet)`);
    expectedUsers = await userFeatures(db, CUTOFF);
    expectedDays = await dailyRevenue(db, CUTOFF);
  } finally {
    db.close();
  }
  readParquet(join(dir, 'events.parquet')).writeIPC(join(dir, 'events.arrow'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectSameUsers(actual: UserFeatures[]): void {
  expect(actual.length).toBe(expectedUsers.length);
  actual.forEach((row, i) => {
    const ref = expectedUsers[i]!;
    expect({ ...row, revenue: 0 }).toEqual({ ...ref, revenue: 0 });
    expect(row.revenue).toBeCloseTo(ref.revenue, 6);
  });
}

function expectSameDays(actual: DailyRevenue[]): void {
  expect(actual.map((r) => [r.day, r.purchases, r.previous_revenue === null])).toEqual(
    expectedDays.map((r) => [r.day, r.purchases, r.previous_revenue === null]),
  );
  actual.forEach((row, i) => expect(row.running_revenue).toBeCloseTo(expectedDays[i]!.running_revenue, 6));
}

describe('the peers compute what the SQL computes', () => {
  it('Polars, from the Parquet file DuckDB wrote', () => {
    const events = readParquet(join(dir, 'events.parquet'));
    expectSameUsers(polarsUserFeatures(events, cutoffTime));
    expectSameDays(polarsDailyRevenue(events, cutoffTime));
  });

  it('the columnar loop, from the same Arrow file', () => {
    const columns = readColumns(join(dir, 'events.arrow'));
    expectSameUsers(loopUserFeatures(columns, cutoffTime));
    expectSameDays(loopDailyRevenue(columns, cutoffTime));
  });

  it('Arquero, from the Arrow file Polars wrote', () => {
    const events = readArrow(join(dir, 'events.arrow'));
    expectSameUsers(arqueroUserFeatures(events, cutoffTime));
    expectSameDays(arqueroDailyRevenue(events, cutoffTime));
  });
});
