// The model server as a real process: its own tests (admission, generation) and @mle/mlops (deploys under load, the
// drift replay, the portfolio's generation check) start it the same way.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ModelServerProcess {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** What the process has written to stdout so far (its JSON log lines). */
  logs: () => string;
  /** SIGTERM, then the exit code of its graceful shutdown. */
  stop: () => Promise<number | null>;
}

/**
 * `src/main.ts` under tsx in a process of its own, on an ephemeral loopback port with polling off, and `env` on top;
 * resolves once it is listening (it reports its port over IPC), rejects with its output if it exits first.
 */
export async function spawnModelServer(env: Record<string, string>): Promise<ModelServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@mle/source', 'src/main.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', POLL_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let logs = '';
  let errors = '';
  child.stdout!.on('data', (chunk) => {
    logs += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    errors += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { listening?: number }) => m.listening && resolve(m.listening));
    child.once('exit', (code) =>
      reject(new Error(`the model server exited ${code} before listening: ${logs}${errors}`)),
    );
  });
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    exited,
    logs: () => logs,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
