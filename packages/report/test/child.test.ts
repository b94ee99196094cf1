import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runWorkspaceScript } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('runWorkspaceScript', () => {
  it('runs the script in a process of its own and parses the last line it printed', () => {
    const out = runWorkspaceScript<{ args: string[]; pid: number }>(
      'test/fixtures/child.ts',
      ['a', 'b c'],
      packageDir,
    );
    expect(out.args).toEqual(['a', 'b c']);
    expect(out.pid).not.toBe(process.pid);
  });

  it('a child that fails throws, carrying what it wrote to stderr', () => {
    let error: unknown;
    try {
      runWorkspaceScript('test/fixtures/child.ts', ['fail'], packageDir);
    } catch (e) {
      error = e;
    }
    expect(String((error as { stderr?: string }).stderr)).toContain('the child failed on purpose');
  });
});
