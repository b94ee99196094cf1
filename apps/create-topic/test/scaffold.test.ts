import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaffoldTopic } from '../src/scaffold.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const here = resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'mle-create-topic-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A bare workspace root: the shared configs, and nothing else. */
function workspace(name: string): string {
  const root = join(scratch, name);
  mkdirSync(root);
  for (const file of [
    'pnpm-workspace.yaml',
    'tsconfig.base.json',
    'biome.json',
    '.gitignore',
    'vitest.shared.ts',
  ]) {
    copyFileSync(join(repo, file), join(root, file));
  }
  return root;
}

/**
 * Links each dependency the generated package.json declares, as `pnpm install` would, to the copy this app
 * installed itself (it declares the same catalog tools and @mle/report).
 */
function linkDependencies(pkgDir: string): void {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const link = join(pkgDir, 'node_modules', dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(here, 'node_modules', dep), link, 'dir');
  }
}

const bin = (tool: string) => join(here, 'node_modules', '.bin', tool);

describe('scaffoldTopic', () => {
  it('writes a package that typechecks, lints clean and whose bench prints the JSON report shape', () => {
    const root = workspace('ok');
    const files = scaffoldTopic(root, { name: 'tiny-topic', description: 'A topic made by the test.' });
    const pkg = join(root, 'packages', 'tiny-topic');
    expect(files.map((f) => f.slice(pkg.length + 1)).sort()).toEqual([
      'README.md',
      'bench/bench.ts',
      'package.json',
      'src/demo.ts',
      'src/index.ts',
      'test/index.test.ts',
      'tsconfig.build.json',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@mle/tiny-topic');
    expect(Object.keys(manifest.scripts)).toEqual(['build', 'typecheck', 'lint', 'test', 'demo', 'bench']);
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    for (const heading of ['What it teaches', 'Run it', 'Results', 'Checked against', 'Limits']) {
      expect(readme).toContain(`## ${heading}`);
    }

    linkDependencies(pkg);
    execFileSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: pkg, stdio: 'pipe' });
    execFileSync(bin('biome'), ['check', '.'], { cwd: pkg, stdio: 'pipe' });
    const out = execFileSync(bin('tsx'), ['--conditions=@mle/source', 'bench/bench.ts', '--json'], {
      cwd: pkg,
      encoding: 'utf8',
    });
    const report = JSON.parse(out);
    expect(report.package).toBe('@mle/tiny-topic');
    expect(report.machine.node).toBe(process.version); // every report says where it was measured
    for (const row of report.results) {
      expect(Object.keys(row)).toEqual(['case', 'impl', 'metric', 'value', 'unit']);
      expect(Number.isFinite(row.value)).toBe(true);
    }
  });

  it('catches a type error in what it wrote (the typecheck above can fail)', () => {
    const root = workspace('broken');
    scaffoldTopic(root, { name: 'broken', description: 'Broken on purpose.' });
    const pkg = join(root, 'packages', 'broken');
    linkDependencies(pkg);
    writeFileSync(join(pkg, 'src', 'index.ts'), 'export const n: number = "not a number";\n');
    expect(() =>
      execFileSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: pkg, stdio: 'pipe' }),
    ).toThrow();
  });

  it('refuses bad names, a missing description, a non-workspace root and an existing folder', () => {
    const root = workspace('refuse');
    expect(() => scaffoldTopic(root, { name: 'Bad_Name', description: 'x' })).toThrow('must be kebab-case');
    expect(() => scaffoldTopic(root, { name: '../escape', description: 'x' })).toThrow('must be kebab-case');
    expect(() => scaffoldTopic(root, { name: 'ok', description: ' ' })).toThrow('description is required');
    expect(() => scaffoldTopic(scratch, { name: 'ok', description: 'x' })).toThrow(
      'is not the workspace root',
    );
    scaffoldTopic(root, { name: 'twice', description: 'x' });
    expect(() => scaffoldTopic(root, { name: 'twice', description: 'x' })).toThrow('already exists');
  });
});
