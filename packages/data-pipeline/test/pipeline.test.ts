import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFeatureTables,
  columnsOf,
  cutoffMs,
  DuckDB,
  dailyRevenue,
  type EventRow,
  generateEvents,
  loopDailyRevenue,
  loopUserFeatures,
  querySql,
  userFeatures,
} from '../src/index.js';

const CUTOFF = '2026-01-22 00:00:00';
const cutoffTime = cutoffMs(CUTOFF);
let db: DuckDB;
let events: EventRow[];

async function readEvents(): Promise<EventRow[]> {
  const rows = await db.rows(
    'SELECT event_id, user_id, item_id, event_type, ts, price FROM events ORDER BY event_id',
  );
  return rows.map((r) => ({ ...(r as unknown as EventRow), ts: (r.ts as Date).getTime() }));
}

beforeAll(async () => {
  db = await DuckDB.open();
  await generateEvents(db, { rows: 50_000, seed: 3 });
  events = await readEvents();
});
afterAll(() => db.close());

describe('the synthetic event log', () => {
  it('is the same for the same seed and different for another', async () => {
    const other = await DuckDB.open();
    try {
      await generateEvents(other, { rows: 50_000, seed: 3 });
      const digest = 'SELECT sum(hash(event_id, user_id, item_id, event_type, ts, price)) AS h FROM events';
      expect(await other.rows(digest)).toEqual(await db.rows(digest));
      await generateEvents(other, { rows: 50_000, seed: 4 });
      expect(await other.rows(digest)).not.toEqual(await db.rows(digest));
    } finally {
      other.close();
    }
  });

  it('is skewed as real logs are: the busiest 1% of users make over 10% of the events; 3% purchases', () => {
    const perUser = new Map<number, number>();
    for (const e of events) perUser.set(e.user_id, (perUser.get(e.user_id) ?? 0) + 1);
    const counts = [...perUser.values()].sort((a, b) => b - a);
    const top = counts.slice(0, Math.ceil(counts.length / 100)).reduce((a, b) => a + b, 0);
    expect(top / events.length).toBeGreaterThan(0.1);
    const purchases = events.filter((e) => e.event_type === 'purchase').length / events.length;
    expect(purchases).toBeGreaterThan(0.025);
    expect(purchases).toBeLessThan(0.035);
    expect(events.every((e) => (e.event_type === 'purchase') === (e.price !== null))).toBe(true);
  });

  it('draws independently: the busiest users buy at the same 3% rate as everyone', () => {
    const busiest = new Set(
      [...new Map(events.map((e) => [e.user_id, 0])).keys()].filter((u) => u < 20), // the lowest ids are the heaviest
    );
    const theirs = events.filter((e) => busiest.has(e.user_id));
    const rate = theirs.filter((e) => e.event_type === 'purchase').length / theirs.length;
    expect(theirs.length).toBeGreaterThan(5000);
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.04);
  });

  it('refuses a size that is not a positive whole number', async () => {
    await expect(generateEvents(db, { rows: 0 })).rejects.toThrow('rows must be a whole number ≥ 1, got 0');
    await expect(generateEvents(db, { rows: 10, seed: 2 ** 20 })).rejects.toThrow(
      'seed must be a whole number in [0, 2^20)',
    );
  });
});

describe('the SQL pipeline equals the hand-written loop', () => {
  it('user features: counts, revenue, 30-minute sessions, last seen and next week’s purchase', async () => {
    const sql = await userFeatures(db, CUTOFF);
    const loop = loopUserFeatures(columnsOf(events), cutoffTime);
    expect(sql.length).toBe(loop.length);
    sql.forEach((row, i) => {
      const ref = loop[i]!;
      expect({ ...row, revenue: 0 }).toEqual({ ...ref, revenue: 0 });
      expect(row.revenue).toBeCloseTo(ref.revenue, 6);
    });
    expect(sql.some((r) => r.sessions > 1)).toBe(true);
    expect(sql.some((r) => r.bought_next_week === 1)).toBe(true);
  });

  it('daily revenue with its running total and the day before', async () => {
    const sql = await dailyRevenue(db, CUTOFF);
    const loop = loopDailyRevenue(columnsOf(events), cutoffTime);
    expect(sql.map((r) => [r.day, r.purchases])).toEqual(loop.map((r) => [r.day, r.purchases]));
    sql.forEach((row, i) => {
      expect(row.running_revenue).toBeCloseTo(loop[i]!.running_revenue, 6);
      const previous = loop[i]!.previous_revenue;
      if (previous === null) expect(row.previous_revenue).toBeNull();
      else expect(row.previous_revenue).toBeCloseTo(previous, 6);
    });
  });
});

describe('the recommender and ranker tables equal counts made in JavaScript', () => {
  const past = () => events.filter((e) => e.ts < cutoffTime);
  const grade = { view: 0, click: 1, purchase: 2 } as const;
  const tally = (rows: EventRow[], key: (e: EventRow) => string) => {
    const out = new Map<
      string,
      { views: number; clicks: number; purchases: number; first: number; last: number; users: Set<number> }
    >();
    for (const e of rows) {
      const k = key(e);
      const t = out.get(k) ?? {
        views: 0,
        clicks: 0,
        purchases: 0,
        first: e.ts,
        last: e.ts,
        users: new Set<number>(),
      };
      out.set(k, t);
      t[e.event_type === 'view' ? 'views' : e.event_type === 'click' ? 'clicks' : 'purchases']++;
      t.first = Math.min(t.first, e.ts);
      t.last = Math.max(t.last, e.ts);
      t.users.add(e.user_id);
    }
    return out;
  };

  beforeAll(() => buildFeatureTables(db, CUTOFF));

  it('item_features: counts, distinct users, smoothed rates and the popularity rank', async () => {
    const rows = await db.rows('SELECT * FROM item_features ORDER BY item_id');
    const ref = tally(past(), (e) => String(e.item_id));
    expect(rows).toHaveLength(ref.size);
    const totals = new Map([...ref].map(([k, t]) => [k, t.views + t.clicks + t.purchases]));
    for (const row of rows) {
      const t = ref.get(String(row.item_id))!;
      const n = totals.get(String(row.item_id))!;
      expect(row).toMatchObject({
        events: n,
        views: t.views,
        clicks: t.clicks,
        purchases: t.purchases,
        users: t.users.size,
      });
      expect(row.click_rate).toBeCloseTo((t.clicks + 1) / (n + 10), 12);
      expect(row.purchase_rate).toBeCloseTo((t.purchases + 1) / (n + 30), 12);
      expect(row.popularity_rank).toBe(1 + [...totals.values()].filter((m) => m > n).length);
    }
  });

  it('interactions: one row per (user, item) seen before the cutoff, with its strength and first and last time', async () => {
    const rows = await db.rows('SELECT * FROM interactions ORDER BY user_id, item_id');
    const ref = tally(past(), (e) => `${e.user_id},${e.item_id}`);
    expect(rows).toHaveLength(ref.size);
    for (const row of rows) {
      const t = ref.get(`${row.user_id},${row.item_id}`)!;
      expect(row).toMatchObject({ views: t.views, clicks: t.clicks, purchases: t.purchases });
      expect(row.strength).toBe(t.views + 3 * t.clicks + 10 * t.purchases);
      expect([(row.first_seen as Date).getTime(), (row.last_seen as Date).getTime()]).toEqual([
        t.first,
        t.last,
      ]);
    }
  });

  it('ranking_examples: next week’s items graded by what the user did, features from before the cutoff', async () => {
    const rows = await db.rows('SELECT * FROM ranking_examples ORDER BY user_id, item_id');
    const week = events.filter((e) => e.ts >= cutoffTime && e.ts < cutoffTime + 7 * 86_400_000);
    const relevance = new Map<string, number>();
    for (const e of week) {
      const k = `${e.user_id},${e.item_id}`;
      relevance.set(k, Math.max(relevance.get(k) ?? 0, grade[e.event_type as keyof typeof grade]));
    }
    expect(rows).toHaveLength(relevance.size);
    const users = new Map(loopUserFeatures(columnsOf(events), cutoffTime).map((u) => [u.user_id, u]));
    const pairs = tally(past(), (e) => `${e.user_id},${e.item_id}`);
    for (const row of rows) {
      const k = `${row.user_id},${row.item_id}`;
      expect(row.relevance).toBe(relevance.get(k));
      const u = users.get(row.user_id as number);
      expect([row.user_events, row.user_sessions]).toEqual([u?.events ?? 0, u?.sessions ?? 0]);
      const pair = pairs.get(k);
      expect(row.pair_strength).toBe(pair ? pair.views + 3 * pair.clicks + 10 * pair.purchases : 0);
      expect((row.pair_last_seen as Date | null)?.getTime() ?? null).toBe(pair?.last ?? null);
    }
    expect(new Set(rows.map((r) => r.relevance))).toEqual(new Set([0, 1, 2]));
  });
});

describe('no feature reads a row after the cutoff', () => {
  it('rewriting every later row changes the labels only', async () => {
    const before = await userFeatures(db, CUTOFF);
    const copy = await DuckDB.open();
    try {
      await generateEvents(copy, { rows: 50_000, seed: 3 });
      // Every row at or after the cutoff: a purchase by another user at another price.
      await copy.run(
        `UPDATE events SET user_id = (user_id + 7) % 1000, event_type = 'purchase', price = 999 WHERE ts >= TIMESTAMP '${CUTOFF}'`,
      );
      const after = await userFeatures(copy, CUTOFF);
      const features = (rows: typeof before) => rows.map(({ bought_next_week: _, ...f }) => f);
      expect(features(after)).toEqual(features(before));
      expect(after.map((r) => r.bought_next_week)).not.toEqual(before.map((r) => r.bought_next_week));
      // The recommender's and ranker's past-only tables do not move either.
      await buildFeatureTables(db, CUTOFF);
      await buildFeatureTables(copy, CUTOFF);
      for (const table of ['item_features', 'interactions']) {
        const query = `SELECT * FROM ${table} ORDER BY ALL`;
        expect(await copy.rows(query)).toEqual(await db.rows(query));
      }
    } finally {
      copy.close();
    }
  });

  it('a cutoff that is not a timestamp never reaches the SQL', () => {
    expect(() => querySql('user_features', "2026-01-22'; DROP TABLE events; --")).toThrow(
      "cutoff must look like 'YYYY-MM-DD hh:mm:ss'",
    );
  });
});
