// The house shape of every workspace, checked on the real tree (the template is checked in scaffold.test.ts):
// the scripts the root README says it has, a README with the house sections, and results whose table, chart and
// record come from one bench run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchRecord, machineLine, RECORD_PATH, readmeRun, svgRun } from '@mle/report';
import { describe, expect, it } from 'vitest';
import { topicFiles } from '../src/templates.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const HOUSE_SCRIPTS = ['build', 'typecheck', 'lint', 'test', 'demo', 'bench'] as const;
const SECTIONS = ['What it teaches', 'Run it', 'Results', 'Checked against', 'Limits'];

interface Workspace {
  dir: string;
  path: string;
  name: string;
  scripts: Record<string, string>;
  readme: string;
}

const workspaces: Workspace[] = ['apps', 'packages'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, group, d.name, 'package.json')))
    .map((d) => {
      const dir = join(root, group, d.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return {
        dir,
        path: `${group}/${d.name}`,
        name: manifest.name as string,
        scripts: manifest.scripts ?? {},
        readme: readFileSync(join(dir, 'README.md'), 'utf8'),
      };
    }),
);

/** The scripts column of the root README's workspace table, by workspace path. */
function claimedScripts(): Map<string, string[]> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const claims = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const row = line.match(/^\| \[((?:apps|packages)\/[a-z0-9-]+)\]\([^)]*\) \|[^|]*\| ([^|]*) \|[^|]*\|$/);
    if (row)
      claims.set(
        row[1]!,
        row[2]!
          .trim()
          .split(/\s*·\s*/)
          .filter(Boolean),
      );
  }
  return claims;
}

const houseScripts = (scripts: Record<string, string>) => HOUSE_SCRIPTS.filter((s) => s in scripts);

describe('the house shape', () => {
  it('every workspace has exactly the house scripts the root README lists for it', () => {
    const claims = claimedScripts();
    for (const w of workspaces) {
      expect(claims.get(w.path), `${w.path} is not in the root README's workspace table`).toBeDefined();
      expect(houseScripts(w.scripts), `${w.path}: scripts in package.json vs the root README`).toEqual(
        claims.get(w.path),
      );
      for (const script of ['typecheck', 'lint', 'test'])
        expect(w.scripts, `${w.path}`).toHaveProperty(script);
    }
  });

  it('every README has the house sections, in order', () => {
    for (const w of [
      ...workspaces,
      {
        path: 'the create-topic template',
        readme: topicFiles({ name: 'x', description: 'X.' })['README.md']!,
      },
    ]) {
      const headings = [...w.readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
      const found = SECTIONS.map((s) => headings.indexOf(s));
      expect(
        found.every((i) => i >= 0),
        `${w.path}: has ${headings.join(' · ')}; needs ${SECTIONS.join(' · ')}`,
      ).toBe(true);
      expect(
        [...found].sort((a, b) => a - b),
        `${w.path}: sections out of order`,
      ).toEqual(found);
    }
  });

  it("a README's results table, its charts and bench/results.json come from the same bench run", () => {
    for (const w of workspaces) {
      if (!('bench' in w.scripts)) continue;
      const recordFile = join(w.dir, RECORD_PATH);
      expect(existsSync(recordFile), `${w.name}: no ${RECORD_PATH}; run its bench`).toBe(true);
      const record: BenchRecord = JSON.parse(readFileSync(recordFile, 'utf8'));
      expect(readmeRun(w.readme), `${w.name}: README results block`).toBe(record.run);
      expect(w.readme).toContain(`Machine: ${machineLine(record.machine)}.`);
      const stamped = [...w.readme.matchAll(/\]\((charts\/[^)]+\.svg)\)/g)]
        .map((m) => ({ chart: m[1]!, run: svgRun(readFileSync(join(w.dir, m[1]!), 'utf8')) }))
        .filter((c) => c.run !== undefined);
      expect(stamped.length, `${w.name}: no chart in its README was drawn by the bench`).toBeGreaterThan(0);
      for (const { chart, run } of stamped) expect(run, `${w.name}: ${chart}`).toBe(record.run);
    }
  });
});
