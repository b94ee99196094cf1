/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mnistArrays } from '@mle/autograd';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch, startServer } from './helpers.js';

// Debian's chromium (installed by .ci/run); playwright's own browser download does not work offline.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));
let browser: Browser;
let base: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stop?.();
});

describe('the demo page in a real browser', () => {
  it('draws a test digit on the canvas and shows the class the model gives it, for both models', async () => {
    const { test } = mnistArrays({ image: 'flat' });
    // The first test digit that the served model gets right through the API with the exact pixels.
    let index = 0;
    for (; index < 50; index++) {
      const pixels = Array.from(test.x.slice(index).toTypedArray());
      const response = await fetch(`${base}/v2/models/mnist/infer`, {
        method: 'POST',
        body: JSON.stringify({
          inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', data: pixels }],
        }),
      });
      const probabilities: number[] = ((await response.json()) as { outputs: { data: number[] }[] })
        .outputs[0]!.data;
      if (probabilities.indexOf(Math.max(...probabilities)) === test.y.get(index)) break;
    }
    const label = test.y.get(index);
    const pixels = Array.from(test.x.slice(index).toTypedArray());
    const page = await browser.newPage();
    await page.goto(base);
    expect(await page.title()).toBe('MNIST digit recognizer · mle-model-server');
    for (const model of ['mnist', 'mnist-tfjs']) {
      await page.selectOption('#model', model);
      await page.click('#clear');
      // Paint the 28×28 digit onto the 280×280 canvas, 10×10 pixels per dataset pixel.
      await page.evaluate((values) => {
        const canvas = document.querySelector<HTMLCanvasElement>('#pad')!;
        const ctx = canvas.getContext('2d')!;
        values.forEach((v, i) => {
          const g = Math.round(v * 255);
          ctx.fillStyle = `rgb(${g},${g},${g})`;
          ctx.fillRect((i % 28) * 10, Math.floor(i / 28) * 10, 10, 10);
        });
      }, pixels);
      await page.focus('#pad');
      await page.keyboard.press('Enter'); // keyboard works as well as the button
      await page.waitForSelector('#digit');
      expect(Number(await page.textContent('#digit')), model).toBe(label);
      expect(await page.locator('#bars li').count()).toBe(10);
      expect(await page.textContent('#result')).toMatch(/answered in \d+ ms/);
    }
    mkdirSync(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results', 'page.png') });
    await page.close();
  }, 60_000);
});
