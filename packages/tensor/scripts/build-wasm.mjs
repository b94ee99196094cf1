// Compiles assembly/*.ts to wasm/matmul.wasm with AssemblyScript, unless the output is newer than every
// source. It runs as this package's postinstall (so every entry point of a fresh clone finds the kernel) and
// as the turbo task build:wasm, which every code-running task depends on through its dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const output = join(root, 'wasm', 'matmul.wasm');
const sources = [
  join(root, 'asconfig.json'),
  ...readdirSync(join(root, 'assembly')).map((f) => join(root, 'assembly', f)),
];
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (existsSync(output) && statSync(output).mtimeMs >= newest && !process.argv.includes('--force'))
  process.exit(0);

const asc = spawnSync(join(root, 'node_modules', '.bin', 'asc'), ['--config', 'asconfig.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (asc.status !== 0) {
  console.error('build-wasm: AssemblyScript failed to compile assembly/matmul.ts');
  process.exit(asc.status ?? 1);
}
console.error(`build-wasm: wrote ${output}`);
