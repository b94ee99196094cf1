import type { ModelRepository, ServedModel } from '@mle/serving-core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one server: requests and latency by model and status, batch sizes, queue depth. */
export function createMetrics(repository: () => ModelRepository | undefined) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'mle_http_requests_total',
    help: 'HTTP requests by route, model and status',
    labelNames: ['route', 'model', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'mle_http_request_duration_seconds',
    help: 'HTTP request latency by route, model and status',
    labelNames: ['route', 'model', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'mle_inference_batch_size',
    help: 'Rows per runtime call (dynamic batching)',
    labelNames: ['model'],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [registry],
  });
  /** A gauge read at scrape time from each ready model; `read` answers undefined for a model it does not apply to. */
  const perModel = (name: string, help: string, read: (model: ServedModel) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['model'],
      registers: [registry],
      collect() {
        const repo = repository();
        if (!repo) return;
        for (const status of repo.status()) {
          const value = status.state === 'READY' ? read(repo.get(status.name)) : undefined;
          if (value !== undefined) this.set({ model: status.name }, value);
        }
      },
    });
  perModel(
    'mle_inference_queue_depth',
    'Requests waiting in the batcher, or for a generation slot',
    (model) => model.batcher?.queueDepth ?? model.generator?.scheduler.queueDepth,
  );
  const generated = new Counter({
    name: 'mle_generated_tokens_total',
    help: 'Tokens generated, by model and how the request ended',
    labelNames: ['model', 'finish'],
    registers: [registry],
  });
  const decodeBatch = new Histogram({
    name: 'mle_generation_batch_rows',
    help: 'Sequences in each model step of text generation, by kind (prefill of new requests, decode of running ones)',
    labelNames: ['model', 'kind'],
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const timeToFirstToken = new Histogram({
    name: 'mle_time_to_first_token_seconds',
    help: 'From a generation request reaching the scheduler to its first token',
    labelNames: ['model'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  perModel(
    'mle_generation_active_slots',
    'Sequences in the running batch of a generative model (batch occupancy; its max_batch_size is the most)',
    (model) => model.generator?.scheduler.activeSlots,
  );
  return { registry, requests, latency, batchSize, generated, decodeBatch, timeToFirstToken };
}

export type Metrics = ReturnType<typeof createMetrics>;
