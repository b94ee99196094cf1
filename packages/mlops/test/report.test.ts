import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@mle/model-server/scripts/chromium.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsCli, SqliteTrackingStore } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'runs-report-'));
let browser: Browser;
beforeAll(async () => {
  const launched = await launchChromium();
  browser = launched.browser;
  console.error(`report test: ${launched.choice.source} browser ${launched.choice.executablePath}`);
});
afterAll(async () => {
  await browser?.close();
});

describe('the runs report (static HTML), in a real browser', () => {
  it('shows runs side by side with differing rows marked, a chart per metric with a line per run, and escapes what it shows', async () => {
    const store = new SqliteTrackingStore(join(dir, 'runs.db'));
    const ids: string[] = [];
    for (const lr of [0.001, 0.003]) {
      const id = await store.startRun({
        experiment: 'mnist',
        params: { lr, hidden: 64, note: '<img src=x onerror="window.pwned=1">' },
        dataFingerprint: 'd'.repeat(64),
      });
      await store.logMetrics(
        id,
        [1, 2, 3].map((epoch) => ({ key: 'train_loss', value: 1 / (epoch * lr * 1000), step: epoch })),
      );
      await store.logMetric(id, 'test_accuracy', 0.9 + lr, 3);
      await store.logArtifact(id, { name: 'model', path: `/models/${lr}`, sha256: 'a'.repeat(64) });
      await store.endRun(id, 'finished');
      ids.push(id);
    }
    const out = join(dir, 'report.html');
    expect(await runsCli(store, ['report', '--experiment', 'mnist', '--out', out])).toBe(
      `wrote a report of 2 runs to ${out}`,
    );
    await store.close();

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`failed request ${r.url()}`));
    await page.goto(`file://${out}`);
    expect(await page.title()).toBe('Runs · @mle/mlops');
    const headers = await page.locator('main > table').first().locator('thead th').allTextContents();
    expect(headers).toEqual(['field', ...ids.map((id) => id.slice(0, 8))]);
    const differing = await page.locator('tr.differs th').allTextContents();
    expect(differing).toEqual(['param lr', 'metric test_accuracy', 'metric train_loss']);
    // One chart per metric, one line per run in each.
    const figures = page.locator('figure');
    expect(await figures.count()).toBe(2);
    for (let i = 0; i < 2; i++) expect(await figures.nth(i).locator('.mark-line path').count()).toBe(2);
    // The markup in a parameter is shown as text, not run.
    expect(await page.locator('td', { hasText: 'onerror=' }).count()).toBe(2);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('code', { hasText: '/models/0.003' }).count()).toBe(1);
    writeFileSync(join(dir, 'shot.png'), await page.screenshot({ fullPage: true }));
    expect(problems).toEqual([]);
    await page.close();
  });
});
