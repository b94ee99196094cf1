/**
 * Run: pnpm --filter @mle/mlops runs -- list | show ID | compare ID ID… | report [--out FILE] [--db PATH]
 * The runs `run-pipeline` recorded in .mlops/runs.db (or the store at --db); `report` writes report.html beside it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runsCli } from './runs-cli.js';
import { SqliteTrackingStore } from './tracking.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const at = args.indexOf('--db');
const db = at >= 0 ? args.splice(at, 2)[1]! : fileURLToPath(new URL('../.mlops/runs.db', import.meta.url));
const store = new SqliteTrackingStore(db);
try {
  console.log(await runsCli(store, args, { reportPath: join(dirname(db), 'report.html') }));
} catch (error) {
  console.error(`runs: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await store.close();
}
