/**
 * One engine, one run, in its own process so its memory is its own: loads the event log the way that engine
 * reads files, runs both queries, and prints { seconds, peakRssMb, users, revenue } as JSON on stdout.
 * Usage: tsx bench/run-engine.ts <duckdb|polars|arquero|typescript|none> <data dir> <cutoff 'YYYY-MM-DD hh:mm:ss'>
 */
import { join } from 'node:path';
import { peakRssMb } from '@mle/report';
// From the queries' module alone: the package index would load DuckDB's native module into every engine's process.
import { cutoffMs, type UserFeatures } from '../src/pipeline.js';

const [engine, dir, cutoff] = process.argv.slice(2);
if (!engine || !dir || !cutoff) throw new Error('usage: run-engine.ts <engine> <data dir> <cutoff>');
const cutoffTime = cutoffMs(cutoff!);

async function run(): Promise<UserFeatures[]> {
  switch (engine) {
    case 'duckdb': {
      // Each engine imports only itself, so the others' native modules do not count in its memory.
      const { DuckDB, dailyRevenue, userFeatures } = await import('../src/index.js');
      const db = await DuckDB.open();
      try {
        await db.run(`CREATE VIEW events AS SELECT * FROM read_parquet('${join(dir!, 'events.parquet')}')`);
        const users = await userFeatures(db, cutoff!);
        await dailyRevenue(db, cutoff!);
        return users;
      } finally {
        db.close();
      }
    }
    case 'polars': {
      const { polarsDailyRevenue, polarsUserFeatures, readEvents } = await import('./polars.js');
      const events = readEvents(join(dir!, 'events.parquet'));
      const users = polarsUserFeatures(events, cutoffTime);
      polarsDailyRevenue(events, cutoffTime);
      return users;
    }
    case 'arquero': {
      const { arqueroDailyRevenue, arqueroUserFeatures, readEvents } = await import('./arquero.js');
      const events = readEvents(join(dir!, 'events.arrow'));
      const users = arqueroUserFeatures(events, cutoffTime);
      arqueroDailyRevenue(events, cutoffTime);
      return users;
    }
    case 'typescript': {
      const { readColumns } = await import('./typescript.js');
      const { loopDailyRevenue, loopUserFeatures } = await import('../src/reference.js');
      const columns = readColumns(join(dir!, 'events.arrow'));
      const users = loopUserFeatures(columns, cutoffTime);
      loopDailyRevenue(columns, cutoffTime);
      return users;
    }
    case 'none':
      return []; // the process alone: Node and the TypeScript runner, what every engine's RSS includes
    default:
      throw new Error(`run-engine: unknown engine ${engine}; expected duckdb, polars, arquero or typescript`);
  }
}

const started = performance.now();
const users = await run();
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({
    seconds,
    peakRssMb: peakRssMb(),
    users: users.length,
    revenue: users.reduce((s, u) => s + u.revenue, 0),
  })}\n`,
);
