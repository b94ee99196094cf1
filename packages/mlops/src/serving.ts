import { type ChildProcess, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A model server process on loopback, started from its sources. */
export interface ServerProcess {
  base: string;
  child: ChildProcess;
  /** SIGTERM, then the exit code of its graceful shutdown. */
  stop(): Promise<number | null>;
}

const serverDir = dirname(fileURLToPath(import.meta.resolve('@mle/model-server/package.json')));

/**
 * Starts apps/model-server as its own process on an ephemeral loopback port, serving `repository` and polling it
 * every `pollMs`; resolves once it is listening. Its log goes to `log` (nothing, by default).
 */
export function startModelServer(
  repository: string,
  options: { pollMs?: number; log?: (line: string) => void } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@mle/source', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      MODEL_REPOSITORY: repository,
      PORT: '0',
      HOST: '127.0.0.1',
      POLL_MS: String(options.pollMs ?? 200),
      LOG_LEVEL: options.log ? 'info' : 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const collect = (d: Buffer) => {
    output += d;
    options.log?.(String(d));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the model server exited ${code} before listening: ${output}`)),
    );
    child.on('message', (message: { listening?: number }) => {
      if (message.listening === undefined) return;
      resolve({
        base: `http://127.0.0.1:${message.listening}`,
        child,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
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
