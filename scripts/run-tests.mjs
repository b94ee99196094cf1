#!/usr/bin/env node
// `pnpm test`: lint, typecheck and every package's tests in one turbo run, then one line with the totals.
// Each package's Vitest writes test-results/vitest.json (a turbo output, so a cached run restores it).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { workspaceDirs } from './workspaces.mjs';

const root = new URL('..', import.meta.url).pathname;
const workspaces = workspaceDirs(root);
const reportOf = (dir) => join(dir, 'test-results', 'vitest.json');

// A report left by an earlier run must not be counted as this run's.
for (const dir of workspaces) rmSync(reportOf(dir), { force: true });

// One task a core: more only makes every task slower and turns hang guards into failures on a 2-core machine.
const concurrency = `--concurrency=${availableParallelism()}`;
const turbo = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'lint',
    'lint:root',
    'typecheck',
    'test',
    '--continue',
    concurrency,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env } },
);

let passed = 0;
let failed = 0;
const missing = [];
for (const dir of workspaces) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!manifest.scripts?.test) continue;
  if (!existsSync(reportOf(dir))) {
    missing.push(manifest.name);
    continue;
  }
  const report = JSON.parse(readFileSync(reportOf(dir), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

if (missing.length > 0) console.error(`no test report from: ${missing.join(', ')}`);
if (turbo.status !== 0) console.error(`turbo exited with ${turbo.status ?? turbo.signal}`);
if (passed + failed === 0) console.error('no test ran');
console.log(`${passed} passed, ${failed} failed`);
process.exit(turbo.status === 0 && failed === 0 && passed > 0 && missing.length === 0 ? 0 : 1);
