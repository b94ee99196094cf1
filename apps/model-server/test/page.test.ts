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
      env: { ...process.env, MODEL_EPOCHS: '4', CI: 'true' },
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
    await page.close();
  });
});
