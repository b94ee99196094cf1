#!/usr/bin/env node
// node scripts/check-quickstart.mjs: the newcomer path, run before anything else is built (first step of .ci/run).
// Runs the README's quick-start main command exactly as written, serving in the background; waits for the server's
// "listening" log line and /v2/health/ready; loads the page in a real browser and makes one inference
// (apps/model-server/scripts/check-page.ts); sends SIGTERM to the server and checks the whole command exits 0.
// Plain Node with no dependencies: nothing is installed when it starts.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const STARTUP_MS = 20 * 60_000; // a fresh install plus the first model build, on a slow 2-core machine

function fail(message) {
  console.error(`check-quickstart: FAILED: ${message}`);
  process.exitCode = 1;
}

/** The line of the README's "Quick start" code block that runs `pnpm start`, without its comment. */
function quickStartCommand(readme) {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Quick start'));
  const block = section?.match(/```sh\n([\s\S]*?)```/)?.[1];
  const line = block?.split('\n').find((l) => /\bpnpm start\b/.test(l));
  if (!line) throw new Error('README.md: no `pnpm start` line in the Quick start code block');
  return line.replace(/\s+#.*$/, '').trim();
}

const command = quickStartCommand(readFileSync(join(root, 'README.md'), 'utf8'));
console.log(`check-quickstart: $ ${command}`);
// Its own process group, so a command that never serves (or never stops) is ended with everything it started.
const child = spawn('bash', ['-c', command], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
const killGroup = () => {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {} // already gone
};
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

let buffered = '';
let stopped = false;
const listening = new Promise((resolve, reject) => {
  const timer = setTimeout(
    () => reject(new Error(`no "listening" line within ${STARTUP_MS / 60_000} min`)),
    STARTUP_MS,
  );
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.includes('"msg":"stopped"')) stopped = true;
      const json = line.slice(line.indexOf('{'));
      if (line.includes('"msg":"listening"')) {
        clearTimeout(timer);
        resolve(JSON.parse(json));
      }
      newline = buffered.indexOf('\n');
    }
  });
  exited.then(({ code, signal }) => {
    clearTimeout(timer); // a pending timer would keep this script alive for the whole startup budget
    reject(new Error(`the command exited (${code ?? signal}) before serving`));
  });
});

async function ready(base) {
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(`${base}/v2/health/ready`);
      if (response.ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${base}/v2/health/ready never answered 200`);
}

let serverPid;
try {
  const { port, pid } = await listening;
  serverPid = pid;
  const base = `http://127.0.0.1:${port}`;
  await ready(base);
  console.log(`check-quickstart: ${base} is ready (server pid ${pid})`);
  const page = spawnSync(
    'pnpm',
    [
      '--filter',
      '@mle/model-server',
      'exec',
      'tsx',
      '--conditions=@mle/source',
      'scripts/check-page.ts',
      base,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (page.status !== 0) fail(`the page check exited ${page.status ?? page.signal}`);
} catch (error) {
  fail(error.message);
}

if (serverPid) {
  process.kill(serverPid, 'SIGTERM');
  const timeout = setTimeout(() => {
    fail('the command did not exit within 30 s of SIGTERM');
    killGroup();
  }, 30_000);
  const { code, signal } = await exited;
  clearTimeout(timeout);
  if (code !== 0) fail(`after SIGTERM the command exited ${code ?? signal}, expected 0`);
  else if (!stopped) fail('the server did not log "stopped" (no graceful shutdown)');
} else {
  killGroup(); // it never served: nothing graceful to check
}
if (!process.exitCode)
  console.log('check-quickstart: passed (served, page and inference checked, exit 0 on SIGTERM)');
