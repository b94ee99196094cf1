import { DuckDB, generateEvents, runPipeline, formatReport } from './src/index.js';
const db = await DuckDB.open();
await generateEvents(db, { rows: 200_000 });
await db.run("COPY events TO '/tmp/dp/events.csv' (HEADER)");
await db.run("COPY events TO '/tmp/dp/events.parquet' (FORMAT PARQUET)");
db.close();
for (const f of ['/tmp/dp/events.csv', '/tmp/dp/events.parquet']) {
  const t0 = performance.now();
  const r = await runPipeline({ events: f, outDir: '/tmp/dp/out', cutoff: '2026-01-22 00:00:00', onStage: (s, i, n) => console.log(i, n, s, ((performance.now()-t0)/1000).toFixed(2)) });
  console.log(r.version, r.rows); console.log(r.reports.map(formatReport).join('\n'));
}
