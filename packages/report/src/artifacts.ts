import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A key for a trained artifact: a hash of the recipe and of the TypeScript source of every workspace package whose
 * code decides what training produces, so that saved weights are reused only for the same recipe and the same code
 * (a changed recipe or optimizer never reuses stale weights). `packageDir` is the package that trains; each name in
 * `packages` is resolved through its node_modules (the workspace link) and its `src` hashed; a name starting with `./`
 * is a directory of the training package itself (e.g. `./src/sequence`).
 */
export function recipeKey(recipe: unknown, packageDir: string, packages: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(recipe));
  for (const name of packages) {
    const dir = name.startsWith('./')
      ? join(packageDir, name)
      : join(realpathSync(join(packageDir, 'node_modules', name)), 'src');
    for (const file of filesUnder(dir))
      hash.update(`${name}/${relative(dir, file)}\0`).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return filesUnder(path);
      return entry.endsWith('.ts') ? [path] : [];
    });
}

/**
 * Makes room in `dir` for an artifact saved as `${prefix}${key}.*`: creates the directory and removes the files (or
 * directories) of the same prefix under any other key (weights of an older recipe or older code), leaving other
 * prefixes alone. Returns the base path to save under.
 */
export function replaceArtifacts(dir: string, prefix: string, key: string): string {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir))
    if (file.startsWith(prefix) && !file.startsWith(`${prefix}${key}.`))
      rmSync(join(dir, file), { recursive: true, force: true });
  return join(dir, `${prefix}${key}`);
}
