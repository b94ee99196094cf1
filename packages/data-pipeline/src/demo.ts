/** Run: pnpm --filter @mle/data-pipeline demo [-- --quick] */
import { existsSync, readFileSync } from 'node:fs';
import { type BenchRecord, demoFlags, formatTable, machineLine } from '@mle/report';
import {
  columnsOf,
  cutoffMs,
  DuckDB,
  dailyRevenue,
  type EventRow,
  generateEvents,
  loopDailyRevenue,
  loopUserFeatures,
  userFeatures,
} from './index.js';

const { quick } = demoFlags();
const rows = quick ? 100_000 : 1_000_000;
const cutoff = '2026-01-22 00:00:00';
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(2);

const db = await DuckDB.open();
try {
  let start = performance.now();
  await generateEvents(db, { rows, seed: 0 });
  console.log(`generated ${rows.toLocaleString('en-US')} events in DuckDB in ${seconds(start)} s`);
  start = performance.now();
  const features = await userFeatures(db, cutoff);
  const daily = await dailyRevenue(db, cutoff);
  console.log(
    `sql/user_features.sql and sql/daily_revenue.sql in DuckDB: ${seconds(start)} s (${features.length.toLocaleString('en-US')} users, ${daily.length} days before ${cutoff})`,
  );
  start = performance.now();
  const events = (await db.rows('SELECT event_id, user_id, item_id, event_type, ts, price FROM events')).map(
    (r) => ({ ...(r as unknown as EventRow), ts: (r.ts as Date).getTime() }),
  );
  const read = seconds(start);
  start = performance.now();
  const cutoffTime = cutoffMs(cutoff);
  const columns = columnsOf(events);
  const loop = loopUserFeatures(columns, cutoffTime);
  loopDailyRevenue(columns, cutoffTime);
  console.log(
    `the same as hand-written loops: ${seconds(start)} s after ${read} s to read the rows into JavaScript; ${loop.length === features.length ? 'the same users' : 'DIFFERENT users'}`,
  );
  const heaviest = [...features].sort((a, b) => b.events - a.events).slice(0, 5);
  console.log('\nThe five busiest users before the cutoff:');
  console.log(
    formatTable(
      ['user', 'events', 'clicks', 'purchases', 'revenue', 'sessions', 'bought next week'],
      heaviest.map((f) => [
        String(f.user_id),
        String(f.events),
        String(f.clicks),
        String(f.purchases),
        f.revenue.toFixed(2),
        String(f.sessions),
        f.bought_next_week ? 'yes' : 'no',
      ]),
      { align: ['right', 'right', 'right', 'right', 'right', 'right', 'left'] },
    ),
  );
} finally {
  db.close();
}

// The bench's last full run, as committed: the four engines at 1M and 10M events.
const recordFile = new URL('../bench/results.json', import.meta.url);
if (existsSync(recordFile)) {
  const record: BenchRecord = JSON.parse(readFileSync(recordFile, 'utf8'));
  console.log(`\nThe bench's last run (${record.run}; ${machineLine(record.machine)}):`);
  const cases = [...new Set(record.results.map((r) => r.case))];
  const value = (c: string, impl: string, metric: string) =>
    record.results.find((r) => r.case === c && r.impl === impl && r.metric === metric)?.value;
  console.log(
    formatTable(
      ['engine', ...cases.flatMap((c) => [`${c} s`, `${c} MB`])],
      ['duckdb', 'polars', 'arquero', 'typescript'].map((engine) => [
        engine,
        ...cases.flatMap((c) => [
          value(c, engine, 'seconds')?.toFixed(2) ?? '–',
          value(c, engine, 'peak_rss_mb')?.toFixed(0) ?? '–',
        ]),
      ]),
      { align: ['left', ...cases.flatMap(() => ['right', 'right'] as const)] },
    ),
  );
}
