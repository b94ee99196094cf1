/**
 * The model server as a process: settings from the environment, the repository loaded, HTTP on PORT,
 * and a graceful exit on SIGTERM/SIGINT (stop accepting, drain queued and in-flight requests, release sessions).
 */
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ModelRepository } from '@mle/serving-core';
import { pino } from 'pino';
import { createServer } from './app.js';
import { createMetrics } from './metrics.js';
import { servedLanguageModels, servedRuntimes } from './runtimes.js';
import { settingsFromEnv } from './settings.js';

const settings = settingsFromEnv();
const logger = pino({ level: settings.LOG_LEVEL, base: { service: 'mle-model-server' } });
let repository: ModelRepository | undefined;
const metrics = createMetrics(() => repository);
repository = new ModelRepository({
  root: settings.MODEL_REPOSITORY,
  runtimes: servedRuntimes,
  languageModels: servedLanguageModels,
  pollMs: settings.POLL_MS,
  log: (event, fields) => logger.info(fields, event),
  onBatch: (model, rows) => metrics.batchSize.observe({ model }, rows),
  onGenerationStep: (model, kind, rows) => metrics.decodeBatch.observe({ model, kind }, rows),
  onFirstToken: (model, ms) => metrics.timeToFirstToken.observe({ model }, ms / 1000),
});
try {
  await repository.start();
} catch (error) {
  logger.fatal(
    { err: error },
    `cannot start: ${(error as Error).message} (build the models with \`pnpm --filter @mle/model-server build:models\`)`,
  );
  process.exit(1);
}
const app = createServer({
  repository,
  logger,
  metrics,
  maxBodyBytes: settings.MAX_BODY_BYTES,
  requestTimeoutMs: settings.REQUEST_TIMEOUT_MS,
  generateTimeoutMs: settings.GENERATE_TIMEOUT_MS,
  webRoot: fileURLToPath(new URL('../public', import.meta.url)),
});
const server: Server = app.listen(settings.PORT, settings.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  logger.info({ port, pid: process.pid, models: repository?.status() }, 'listening');
  process.send?.({ listening: port });
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: no new connections, draining requests');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await repository?.close();
  await closed;
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
