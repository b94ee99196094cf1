import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKSPACE_SOURCE_FLAGS } from './gc-child.js';

/**
 * Every module URL that importing `specifier` resolves, from `cwd` (a workspace directory, so its dependencies
 * resolve), in a fresh Node process with the workspace's source condition. For tests that a package loads only
 * what it needs: an ESM resolve hook records each URL as the loader resolves it. (A CommonJS package's own
 * `require`s are not seen, but its entry, imported from ESM, is.)
 */
export function modulesLoadedBy(specifier: string, cwd: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mle-loads-'));
  try {
    const log = join(dir, 'loads.txt');
    writeFileSync(log, '');
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`,
    );
    const register = join(dir, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const child = spawnSync(
      process.execPath,
      [
        ...WORKSPACE_SOURCE_FLAGS,
        '--import',
        pathToFileURL(register).href,
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(specifier)});`,
      ],
      { cwd, encoding: 'utf8', timeout: 120_000 },
    );
    if (child.status !== 0)
      throw new Error(
        `modulesLoadedBy: importing ${specifier} failed (${child.status ?? child.signal}): ${child.stderr}`,
      );
    return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
