#!/usr/bin/env -S npx tsx
/**
 * pnpm new-topic <name> "<one-line description>" [--root <workspace root>]
 * Scaffolds packages/<name>, then run `pnpm install` to link it into the workspace.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scaffoldTopic } from './scaffold.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    root: { type: 'string', default: resolve(import.meta.dirname, '..', '..', '..') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const usage = 'usage: pnpm new-topic <name> "<one-line description>" [--root <workspace root>]';
const [name, description] = positionals;
if (values.help) {
  console.log(
    `${usage}\nScaffolds packages/<name> (@mle/<name>) with scripts, a test, a bench and a README skeleton.`,
  );
  process.exit(0);
}
if (!name || !description) {
  console.error(usage);
  process.exit(2);
}
try {
  const files = scaffoldTopic(values.root, { name, description });
  console.log(files.map((f) => `created ${f}`).join('\n'));
  console.log(`\nnext: pnpm install && pnpm --filter @mle/${name} test`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
