/**
 * Run: pnpm --filter @mle/mlops run-pipeline [-- --from STEP] [-- --force STEP] [-- --root DIR]
 * The MNIST pipeline, cached under .mlops/ in this package unless --root says otherwise.
 */
import { fileURLToPath } from 'node:url';
import { pipelineCli } from './cli.js';
import { mnistPipeline } from './mnist-pipeline.js';

try {
  await pipelineCli(
    mnistPipeline(),
    process.argv.slice(2),
    fileURLToPath(new URL('../.mlops', import.meta.url)),
  );
} catch (error) {
  console.error(`pipeline: ${(error as Error).message}`);
  process.exitCode = 1;
}
