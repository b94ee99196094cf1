/// <reference lib="dom" />
// Drives the draw-a-digit page the way a person does: paints a 28×28 digit onto the canvas, presses Enter and
// reads the answer. The page test and the quick-start check (scripts/check-page.ts) both use it.
import { mnistArrays } from '@mle/autograd/mnist';
import type { Page } from 'playwright-core';

export interface PageAnswer {
  digit: number;
  bars: number;
  result: string;
}

/** Paints `pixels` (784 values in 0..1) with the chosen model selected and returns what the page shows. */
export async function drawDigit(page: Page, model: string, pixels: readonly number[]): Promise<PageAnswer> {
  if (pixels.length !== 784) throw new Error(`drawDigit: expected 784 pixels (28×28), got ${pixels.length}`);
  await page.selectOption('#model', model);
  await paintPad(page, pixels);
  await page.focus('#pad');
  await page.keyboard.press('Enter'); // the keyboard works as well as the button
  await page.waitForSelector('#digit');
  return {
    digit: Number(await page.textContent('#digit')),
    bars: await page.locator('#bars li').count(),
    result: (await page.textContent('#result')) ?? '',
  };
}

/**
 * Clears the 280×280 `#pad` canvas (its `#clear` button) and paints 784 pixels (0..1) on it, 10×10 canvas pixels
 * per dataset pixel: the draw-a-digit pages here and in apps/portfolio share the layout.
 */
export async function paintPad(page: Page, pixels: readonly number[]): Promise<void> {
  await page.click('#clear');
  await page.evaluate((values) => {
    const canvas = document.querySelector<HTMLCanvasElement>('#pad')!;
    const ctx = canvas.getContext('2d')!;
    values.forEach((v, i) => {
      const g = Math.round(v * 255);
      ctx.fillStyle = `rgb(${g},${g},${g})`;
      ctx.fillRect((i % 28) * 10, Math.floor(i / 28) * 10, 10, 10);
    });
  }, pixels);
}

/** One inference through the Open Inference Protocol; returns the class with the highest probability. */
export async function inferDigit(base: string, model: string, pixels: readonly number[]): Promise<number> {
  const response = await fetch(`${base}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', data: pixels }] }),
  });
  if (!response.ok) throw new Error(`infer ${model}: HTTP ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { outputs: { data: number[] }[] };
  const probabilities = body.outputs[0]?.data;
  if (probabilities?.length !== 10)
    throw new Error(`infer ${model}: expected 10 probabilities, got ${JSON.stringify(body).slice(0, 200)}`);
  return probabilities.indexOf(Math.max(...probabilities));
}

export interface LabelledDigit {
  pixels: number[];
  label: number;
}

/** The first `count` digits of the seeded MNIST test split, as the page and the API take them. */
export function testDigits(count: number): LabelledDigit[] {
  const { test } = mnistArrays({ image: 'flat' });
  return Array.from({ length: count }, (_, i) => ({
    pixels: Array.from(test.x.slice(i).toTypedArray()),
    label: test.y.get(i),
  }));
}

/** The first digit the served model classifies correctly through the API: the page must then agree with it. */
export async function firstServedRight(
  base: string,
  model: string,
  digits: Iterable<LabelledDigit>,
): Promise<LabelledDigit> {
  for (const digit of digits) if ((await inferDigit(base, model, digit.pixels)) === digit.label) return digit;
  throw new Error(`${model}: the served model got none of the candidate digits right`);
}
