// The design write-ups and the roadmap cite commands and packages; this keeps them true as the code moves: every
// `pnpm --filter @mle/<name> <script>` names a workspace that has that script, and every relative link resolves.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scriptsByPackage = new Map<string, Record<string, string>>(
  ['apps', 'packages'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, group, d.name, 'package.json')))
      .map((d) => {
        const manifest = JSON.parse(readFileSync(join(root, group, d.name, 'package.json'), 'utf8'));
        return [manifest.name as string, (manifest.scripts ?? {}) as Record<string, string>] as const;
      }),
  ),
);

/** Every `pnpm --filter <package> <script>` in a text, with its line. */
export function citedCommands(text: string): { pkg: string; script: string; line: number }[] {
  const out: { pkg: string; script: string; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/pnpm --filter (@[\w-]+\/[\w-]+) (?:run )?([\w:-]+)/g))
      out.push({ pkg: m[1]!, script: m[2]!, line: i + 1 });
  });
  return out;
}

const DOCS = ['docs/ml-system-design.md', 'docs/roadmap.md'];

describe.each(DOCS)('%s', (doc) => {
  const text = readFileSync(join(root, doc), 'utf8');

  it('cites only commands that exist: the package, and the script in its package.json', () => {
    const cited = citedCommands(text);
    expect(cited.length).toBeGreaterThan(5);
    const missing = cited
      .filter(({ pkg, script }) => !(scriptsByPackage.get(pkg) && script in scriptsByPackage.get(pkg)!))
      .map(({ pkg, script, line }) => `${doc}:${line}: pnpm --filter ${pkg} ${script}`);
    expect(missing).toEqual([]);
  });

  it('links only to files and directories that exist', () => {
    const broken = [...text.matchAll(/\]\((?!https?:|mailto:|#)([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((target) => !existsSync(join(root, dirname(doc), target)));
    expect(broken).toEqual([]);
  });
});

describe('the citation check itself', () => {
  it('finds commands, with or without `run`, and reports one that does not exist', () => {
    const cited = citedCommands(
      'x `pnpm --filter @mle/gpt bench` and pnpm --filter @mle/mlops run test:postgres\n`pnpm --filter @mle/gpt fly`',
    );
    expect(cited).toEqual([
      { pkg: '@mle/gpt', script: 'bench', line: 1 },
      { pkg: '@mle/mlops', script: 'test:postgres', line: 1 },
      { pkg: '@mle/gpt', script: 'fly', line: 2 },
    ]);
    expect('fly' in (scriptsByPackage.get('@mle/gpt') ?? {})).toBe(false);
  });
});
