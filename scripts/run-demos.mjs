#!/usr/bin/env node
// node scripts/run-demos.mjs: every workspace's documented `pnpm --filter <name> demo`, one after another, with
// `-- --quick` (every demo takes it: a long demo runs the same code path at smaller sizes and writes no charts; a
// short one runs in full). Prints each demo's time; exits 1 naming every demo that failed, and repeats the last
// lines of each failed demo's output at the end (a CI report may show only the end of a step).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceDirs } from './workspaces.mjs';

const root = new URL('..', import.meta.url).pathname;
const workspaces = workspaceDirs(root);

const failed = [];
const tails = [];
const rows = [];
for (const dir of workspaces) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!manifest.scripts?.demo) continue;
  console.log(`\n=== pnpm --filter ${manifest.name} demo -- --quick`);
  const started = performance.now();
  const run = spawnSync('pnpm', ['--filter', manifest.name, 'demo', '--', '--quick'], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  const seconds = (performance.now() - started) / 1000;
  rows.push(
    `${manifest.name.padEnd(24)} ${run.status === 0 ? 'ok    ' : 'FAILED'} ${seconds.toFixed(0).padStart(4)} s`,
  );
  if (run.status !== 0) {
    failed.push(manifest.name);
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? `\n${run.error.message}` : ''}`;
    tails.push(
      `--- the last lines of ${manifest.name}'s demo:\n${output.trimEnd().split('\n').slice(-30).join('\n')}`,
    );
  }
}
console.log(`\ndemos:\n${rows.join('\n')}`);
if (failed.length > 0) {
  console.error(`\n${tails.join('\n\n')}\n`);
  console.error(`run-demos: FAILED: ${failed.join(', ')}`);
  process.exit(1);
}
