/**
 * hnswlib-node, the C++ HNSW library the bench compares against. It compiles with node-gyp, which the workspace's
 * pnpm install does not run (pnpm ignores the `nodedir` setting that points node-gyp at Node's local headers), so the
 * bench installs it with npm, which honours it, into packages/recommender/.peer (ignored by git) the first time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const HNSWLIB_VERSION = '3.0.0';

export interface HnswlibIndex {
  initIndex(options: { maxElements: number; m: number; efConstruction: number; randomSeed: number }): void;
  addPoint(point: number[], label: number): void;
  setEf(ef: number): void;
  searchKnn(query: number[], k: number): { distances: number[]; neighbors: number[] };
}

export function loadHnswlib(): new (space: 'l2' | 'cosine' | 'ip', dimension: number) => HnswlibIndex {
  const prefix = fileURLToPath(new URL('../.peer/', import.meta.url));
  const entry = `${prefix}node_modules/hnswlib-node/package.json`;
  if (!existsSync(entry)) {
    console.error(
      `installing hnswlib-node@${HNSWLIB_VERSION} with npm into ${prefix} (node-gyp, about 15 s)…`,
    );
    execFileSync(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--prefix',
        prefix,
        `hnswlib-node@${HNSWLIB_VERSION}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  const require = createRequire(entry);
  return (
    require('hnswlib-node') as {
      HierarchicalNSW: new (space: 'l2' | 'cosine' | 'ip', dimension: number) => HnswlibIndex;
    }
  ).HierarchicalNSW;
}
