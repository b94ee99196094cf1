/** The files of a new topic package, as functions of its name: the house layout in one place. */
export interface Topic {
  /** Folder and package name suffix, kebab-case: "memory-hierarchy" → packages/memory-hierarchy, @mle/memory-hierarchy. */
  name: string;
  /** One line: what the package teaches. */
  description: string;
}

const title = (name: string) =>
  name
    .split('-')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');

/** camelCase of the name, for the starter function: "memory-hierarchy" → "memoryHierarchy". */
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function topicFiles(topic: Topic): Record<string, string> {
  const { name, description } = topic;
  const fn = `${camel(name)}Sum`;
  return {
    'package.json': json({
      name: `@mle/${name}`,
      version: '0.1.0',
      private: true,
      description,
      type: 'module',
      exports: {
        '.': { '@mle/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
      },
      scripts: {
        build: 'tsc -p tsconfig.build.json',
        typecheck: 'tsc -p tsconfig.json --noEmit',
        lint: 'biome check .',
        test: 'vitest run',
        demo: 'tsx --conditions=@mle/source src/demo.ts',
        bench: 'tsx --conditions=@mle/source bench/bench.ts',
      },
      dependencies: { '@mle/report': 'workspace:*' },
      devDependencies: {
        '@biomejs/biome': 'catalog:',
        '@types/node': 'catalog:',
        tsx: 'catalog:',
        typescript: 'catalog:',
        vite: 'catalog:',
        vitest: 'catalog:',
      },
    }),
    'tsconfig.json':
      '{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src", "test", "bench"]\n}\n',
    'tsconfig.build.json': `{
  "extends": "./tsconfig.json",
  "compilerOptions": { "outDir": "dist", "rootDir": "src" },
  "include": ["src"],
  "exclude": ["src/demo.ts"]
}
`,
    'vitest.config.ts': "export { default } from '../../vitest.shared.ts';\n",
    'src/index.ts': `/**
 * ${description}
 *
 * Starter code from \`pnpm new-topic\`: replace ${fn} with the topic's first real function.
 */
export function ${fn}(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(\`${fn}: expected finite numbers, got \${v}\`);
    total += v;
  }
  return total;
}
`,
    'test/index.test.ts': `import { describe, expect, it } from 'vitest';
import { ${fn} } from '../src/index.js';

describe('${fn}', () => {
  it('agrees with Array.prototype.reduce', () => {
    const values = [0.5, -2, 3.25, 10];
    expect(${fn}(values)).toBe(values.reduce((a, b) => a + b, 0));
  });

  it('names a non-finite input', () => {
    expect(() => ${fn}([1, Number.NaN])).toThrow('expected finite numbers, got NaN');
  });
});
`,
    'src/demo.ts': `/** Run: pnpm --filter @mle/${name} demo [-- --quick] */
import { demoFlags } from '@mle/report';
import { ${fn} } from './index.js';

// A demo that takes more than a minute runs the same code path at smaller sizes with --quick (CI passes it).
demoFlags();
console.log(\`${name}: ${fn}([1, 2, 3]) = \${${fn}([1, 2, 3])}\`);
`,
    'bench/bench.ts': `/**
 * Run: pnpm --filter @mle/${name} bench [-- --json] [-- --quick]
 * Every case measures ours beside the peer people would use instead, in the same process.
 */
import { benchFlags, measure, printBenchReport } from '@mle/report';
import { ${fn} } from '../src/index.js';

const { json, quick } = benchFlags();
const n = quick ? 10_000 : 1_000_000;
const size = quick ? '1e4' : '1e6';
const values = Array.from({ length: n }, (_, i) => (i % 100) / 7);
const ours = measure(() => ${fn}(values));
const peer = measure(() => values.reduce((a, b) => a + b, 0));

const report = {
  package: '@mle/${name}',
  results: [
    { case: \`sum \${size}\`, impl: 'ours', metric: 'median time', value: ours.median, unit: 'ms' },
    { case: \`sum \${size}\`, impl: 'Array.reduce', metric: 'median time', value: peer.median, unit: 'ms' },
    { case: \`sum \${size}\`, impl: 'ours', metric: 'ratio', value: ours.median / peer.median, unit: 'x' },
  ],
};
printBenchReport(report, { json });
`,
    'README.md': `# @mle/${name}: ${title(name)}

${description}

## What it teaches

_The idea in a few paragraphs, with the formula or paper it rests on._

## Run it

\`\`\`sh
pnpm --filter @mle/${name} demo          # the topic working, in under a minute (-- --quick: what CI runs)
pnpm --filter @mle/${name} test
pnpm --filter @mle/${name} bench         # table under the machine's line; -- --json for rows, -- --quick for a short run
\`\`\`

## Results

_A table printed by \`bench\`, with the peer measured in the same run, and the ratio, under the machine line the
report prints (CPU, cores, SIMD features, Node): figures move with the machine._

## Checked against

_Which independent reference each test compares with: a peer library, a closed form, finite differences, a published figure._

## Limits

_What this does not do, and where it is slower or less exact than the peer._
`,
  };
}
