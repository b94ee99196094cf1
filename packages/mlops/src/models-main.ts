/**
 * Run: pnpm --filter @mle/mlops models -- list | deploy | rollback [--name mnist] [--repository DIR] [--root DIR]
 * The registry that `run-pipeline` keeps in .mlops/runs.db (or <root>/runs.db); deploy and rollback write into
 * <root>/model-repository unless --repository names a model server's repository.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelsCli } from './models-cli.js';
import { ModelRegistry } from './registry.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const at = args.indexOf('--root');
const root = at >= 0 ? args.splice(at, 2)[1]! : fileURLToPath(new URL('../.mlops', import.meta.url));
let registry: ModelRegistry | undefined;
try {
  const db = join(root, 'runs.db');
  if (!existsSync(db))
    throw new Error(
      `no registry at ${db} (run \`pnpm --filter @mle/mlops run-pipeline\` first, or give --root)`,
    );
  registry = new ModelRegistry(db);
  console.log(modelsCli(registry, args, join(root, 'model-repository')));
} catch (error) {
  console.error(`models: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  registry?.close();
}
