import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Node flags that run a workspace's TypeScript sources directly: tsx, and the workspace's source export condition. */
export const WORKSPACE_SOURCE_FLAGS = ['--import', 'tsx', '--conditions=@mle/source'] as const;

/**
 * Runs a workspace TypeScript script in a fresh Node process with `--expose-gc` (a memory test needs a process of
 * its own whose collector it can force), from `cwd`, and returns the one JSON line the script printed. A script
 * that writes to stderr or exits non-zero is an error that carries what it wrote.
 */
export function runGcScript<T>(script: string, args: readonly string[], cwd: string): T {
  const child = spawnSync(process.execPath, ['--expose-gc', ...WORKSPACE_SOURCE_FLAGS, script, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (child.status !== 0 || child.stderr !== '')
    throw new Error(
      `runGcScript: ${script} ${args.join(' ')} exited ${child.status ?? child.signal}: ${child.stderr}`,
    );
  return JSON.parse(child.stdout) as T;
}

/**
 * Runs a workspace TypeScript script in a child process of its own, so the time and memory it reports are its own
 * (a bench runs each implementation this way), and returns the last line it printed, parsed as JSON. A child that
 * fails or outlives `timeoutMs` throws execFileSync's error, whose `stderr` holds what the child wrote.
 */
export function runWorkspaceScript<T>(
  script: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = 15 * 60_000,
): T {
  const out = execFileSync(process.execPath, [...WORKSPACE_SOURCE_FLAGS, script, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** This process's resident set in MiB after two forced collections; for scripts run by runGcScript. */
export function rssAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('rssAfterGc: run with --expose-gc (runGcScript does)');
  gc();
  gc();
  return process.memoryUsage().rss / 2 ** 20;
}

/**
 * This process's own peak resident memory, in MB: VmHWM from /proc/self/status on Linux. Not getrusage's maxrss,
 * which Linux carries across fork and exec, so a child would report its parent's peak when that was higher.
 * Elsewhere, getrusage's figure.
 */
export function peakRssMb(): number {
  try {
    const kb = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m)?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
