/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../scripts/chromium.js';
import { drawDigit, firstServedRight, testDigits } from '../scripts/page-driver.js';
import { scratch, startServer } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let browser: Browser;
let base: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  const models = join(scratch, 'page-models');
  // The real model build, shortened: 4 epochs are enough for a confident digit.
  execFileSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['--conditions=@mle/source', 'scripts/build-models.ts', models],
    {
      cwd: root,
      env: { ...process.env, MODEL_EPOCHS: '4', GPT_RECIPE: 'quick', CI: 'true' },
      stdio: 'pipe',
    },
  );
  const server = await startServer(models, { maxBodyBytes: 1 << 20, webRoot: join(root, 'public') });
  base = server.base;
  stop = server.close;
  const launched = await launchChromium();
  browser = launched.browser;
  console.error(`page test: ${launched.choice.source} browser ${launched.choice.executablePath}`);
});

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

describe('the demo page in a real browser', () => {
  it('draws a test digit on the canvas and shows the class the model gives it, for both models', async () => {
    const candidates = testDigits(50);
    const { pixels, label } = await firstServedRight(base, 'mnist', candidates);
    const page = await browser.newPage();
    await page.goto(base);
    expect(await page.title()).toBe('MNIST digit recognizer · mle-model-server');
    for (const model of ['mnist', 'mnist-tfjs']) {
      const answer = await drawDigit(page, model, pixels);
      expect(answer.digit, model).toBe(label);
      expect(answer.bars).toBe(10);
      expect(answer.result).toMatch(/answered in \d+ ms/);
    }
    mkdirSync(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results', 'page.png') });
    // Left open: the packed Chromium runs as a single process, which exits with its last page.
  });

  it('streams generated text into the page token by token: the text the API gives for the same seed', async () => {
    // Sampled with a seed: the same text on the page and through the API (greedy, the quick model says only spaces).
    const parameters = { max_tokens: 20, temperature: 1, top_k: 40, top_p: 0.95, seed: 3 }; // context 32
    const api = await fetch(`${base}/v2/models/gpt-char/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text_input: 'The whale', parameters }),
    }).then((r) => r.json() as Promise<{ text_output: string }>);
    const page = await browser.newPage();
    await page.goto(`${base}/generate.html`);
    expect(await page.title()).toBe('Text generation · mle-model-server');
    await page.waitForSelector('#model option[value="gpt-char"]', { state: 'attached' });
    await page.fill('#prompt', 'The whale');
    await page.fill('#max-tokens', String(parameters.max_tokens));
    await page.fill('#temperature', '1');
    await page.fill('#seed', '3');
    // Count the changes to the output as they happen: a stream shows one per token, a plain answer one in all.
    await page.evaluate(() => {
      const w = window as unknown as { changes: number };
      w.changes = 0;
      new MutationObserver(() => {
        w.changes += 1;
      }).observe(document.querySelector('#generated')!, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.click('#generate');
    await page.waitForFunction(() => document.querySelector('#stats')!.textContent!.startsWith('Done'));
    expect(api.text_output.trim().length).toBeGreaterThan(10);
    expect(await page.textContent('#generated')).toBe(api.text_output);
    expect(await page.textContent('#stats')).toMatch(/^Done \(length\): 20 tokens; first after \d+ ms/);
    expect(
      await page.evaluate(() => (window as unknown as { changes: number }).changes),
    ).toBeGreaterThanOrEqual(20);

    await page.screenshot({ path: join(root, 'test-results', 'generate-page.png') });
    await page.close();
  });
});
