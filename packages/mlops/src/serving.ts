import { type ModelServerProcess, spawnModelServer } from '@mle/model-server/scripts/spawn-server.js';

/** A model server process on loopback, started from its sources (apps/model-server's own launcher). */
export type ServerProcess = ModelServerProcess;

/**
 * Starts apps/model-server as its own process on an ephemeral loopback port, serving `repository` and polling it
 * every `pollMs` for new versions; resolves once it is listening.
 */
export function startModelServer(
  repository: string,
  options: { pollMs?: number } = {},
): Promise<ServerProcess> {
  return spawnModelServer({
    MODEL_REPOSITORY: repository,
    POLL_MS: String(options.pollMs ?? 200),
    LOG_LEVEL: 'warn',
  });
}

/** One answered (or failed) request of the load generator. */
export interface Sample {
  sentAt: number;
  receivedAt: number;
  status: number;
  /** The model version that answered (model_version), or the error. */
  version?: string;
  error?: string;
}

/**
 * A closed-loop load generator: `concurrency` clients each send the next request as soon as the last is answered,
 * until stopped; every request is recorded with its send and receive times, status and answering version.
 */
export function loadGenerator(url: string, body: string, concurrency: number) {
  const samples: Sample[] = [];
  let running = true;
  const client = async () => {
    while (running) {
      const sentAt = performance.now();
      try {
        const res = await fetch(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
        });
        const json = (await res.json()) as { model_version?: string; error?: string };
        samples.push({
          sentAt,
          receivedAt: performance.now(),
          status: res.status,
          ...(json.model_version ? { version: json.model_version } : {}),
          ...(json.error ? { error: json.error } : {}),
        });
      } catch (error) {
        samples.push({ sentAt, receivedAt: performance.now(), status: 0, error: (error as Error).message });
      }
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  return {
    samples,
    /** Resolves once some request sent from now on is answered by `version`; rejects after `timeoutMs`. */
    async until(version: string, timeoutMs = 30_000): Promise<number> {
      const from = performance.now();
      let seen = samples.length;
      while (performance.now() - from < timeoutMs) {
        for (; seen < samples.length; seen++) {
          const s = samples[seen]!;
          if (s.sentAt >= from && s.version === version) return s.receivedAt;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no answer from version ${version} within ${timeoutMs} ms`);
    },
    async stop(): Promise<Sample[]> {
      running = false;
      await Promise.all(clients);
      return samples;
    },
  };
}
