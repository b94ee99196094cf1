import type { ModelRepository } from '@mle/serving-core';
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
  new Gauge({
    name: 'mle_inference_queue_depth',
    help: 'Requests waiting in the batcher',
    labelNames: ['model'],
    registers: [registry],
    collect() {
      const repo = repository();
      if (!repo) return;
      for (const status of repo.status()) {
        if (status.state === 'READY')
          this.set({ model: status.name }, repo.get(status.name).batcher.queueDepth);
      }
    },
  });
  return { registry, requests, latency, batchSize };
}

export type Metrics = ReturnType<typeof createMetrics>;
