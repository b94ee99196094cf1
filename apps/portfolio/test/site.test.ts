import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@mle/datasets';
import { startModelServer } from '@mle/mlops';
import { launchChromium } from '@mle/model-server/scripts/chromium.js';
import { paintPad } from '@mle/model-server/scripts/page-driver.js';
import { OnnxSession } from '@mle/onnx-runtime';
import { fromTypedArray } from '@mle/tensor';
import { getEncoding } from 'js-tiktoken';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltDemo,
  type BuiltPage,
  buildDemos,
  buildSite,
  page as pageHtml,
  readWorkspaces,
  serveSite,
} from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'portfolio-'));
const shots = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let pages: BuiltPage[];
let demos: BuiltDemo[];
let site: Awaited<ReturnType<typeof serveSite>>;
let browser: Browser;

beforeAll(async () => {
  pages = buildSite({ root, out, sourceUrl: 'https://example.invalid/repo/blob/main' });
  demos = await buildDemos({
    out,
    cacheDir: join(out, '..', `${out.split('/').pop()}-cache`),
    page: pageHtml,
  });
  pages.push(...demos.map((d) => ({ file: d.page, title: d.title })));
  site = await serveSite(out);
  browser = (await launchChromium()).browser;
  mkdirSync(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the built site', () => {
  it('has a home page and a page per workspace, each linking to its source', () => {
    const workspaces = readWorkspaces(root);
    expect(pages.slice(0, workspaces.length + 1).map((p) => p.file)).toEqual([
      'index.html',
      ...workspaces.map((w) => `p/${w.path.split('/')[1]}/index.html`),
    ]);
    const mlops = readFileSync(join(out, 'p/mlops/index.html'), 'utf8');
    expect(mlops).toContain('href="https://example.invalid/repo/tree/main/packages/mlops"');
  });

  it("renders a package's bench record from its results.json, value for value, under its machine", () => {
    const record = JSON.parse(readFileSync(join(root, 'packages/mlops/bench/results.json'), 'utf8'));
    const html = readFileSync(join(out, 'p/mlops/index.html'), 'utf8');
    expect(html).toContain(`Run <code>${record.run}</code> on ${record.machine.cpu}`);
    for (const r of record.results.slice(0, 5)) {
      const shown = Number.isInteger(r.value) ? String(r.value) : r.value.toPrecision(4);
      expect(html).toContain(`<td>${r.case}</td><td>${r.impl}</td><td>${r.metric}</td><td>${shown}</td>`);
    }
  });
});

describe('the site in a real browser', () => {
  it('every page loads with no console error and no failed request, and axe finds no serious violation', async () => {
    const problems: string[] = [];
    // One tab for every page: the Chromium packed in npm runs as a single process, which closing a tab can end.
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    let current = '';
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${current}: console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${current}: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`${current}: failed ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${current}: ${r.status()} ${r.url()}`);
    });
    for (const p of pages) {
      current = p.file;
      await page.goto(site.url + p.file, { waitUntil: 'load' });
      expect(await page.title()).toBe(
        p.title === 'MLE-Learner' ? 'MLE-Learner: machine-learning engineering, built and measured' : p.title,
      );
      // Every image (the charts) decoded: lazy ones are made eager and awaited first.
      const broken = await page.evaluate(async () => {
        const images = [...document.images];
        for (const i of images) i.loading = 'eager';
        await Promise.all(images.map((i) => i.decode().catch(() => undefined)));
        return images.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src);
      });
      problems.push(...broken.map((src) => `${p.file}: image did not load ${src}`));
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        // biome-ignore lint/suspicious/noExplicitAny: axe is a global the script tag added
        const result = await (globalThis as any).axe.run(document, { resultTypes: ['violations'] });
        return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map(
            (v) =>
              `${v.id} (${v.impact}): ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(', ')}`,
          );
      });
      problems.push(...violations.map((v) => `${p.file}: axe: ${v}`));
      const name = p.file.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '-');
      writeFileSync(join(shots, `${name}.png`), await page.screenshot());
    }
    expect(problems).toEqual([]);
  });

  it('the digit demo classifies a test digit in the browser as onnxruntime-node does with the same model', async () => {
    const page = browser.contexts()[0]!.pages()[0]!;
    await page.goto(`${site.url}demos/digit/index.html`, { waitUntil: 'load' });
    const { test } = loadMnist({ seed: 0 });
    const session = await OnnxSession.create(readFileSync(join(out, 'demos/digit/mnist.onnx')));
    try {
      for (const n of [0, 1, 2]) {
        const pixels = Array.from(
          test.images.subarray(n * 784, (n + 1) * 784),
          (v) => Math.round(v * 255) / 255,
        );
        const expected = await session.run({ input: fromTypedArray(Float32Array.from(pixels), [1, 784]) });
        const probabilities = Array.from(expected.output!.data as Float32Array);
        const want = probabilities.indexOf(Math.max(...probabilities));
        await paintPad(page, pixels);
        await page.focus('#pad');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#digit', { timeout: 60_000 });
        expect(Number(await page.textContent('#digit'))).toBe(want);
        expect(want).toBe(test.labels[n]); // and these three the model gets right
      }
      // Once loaded, it works offline: the network off, the last digit classified again.
      await page.context().setOffline(true);
      await page.evaluate(() => {
        document.querySelector('#result')!.textContent = '';
      });
      await page.click('#classify');
      await page.waitForFunction(() => document.querySelector('#result')!.textContent!.startsWith('It is'));
      expect(Number(await page.textContent('#digit'))).toBe(test.labels[2]);
    } finally {
      await page.context().setOffline(false);
      await session.release();
    }
    const sizes = demos[0]!.files.map((f) => `${f.file} ${(f.bytes / 1024).toFixed(0)} KiB`).join(', ');
    console.error(`portfolio: digit demo files: ${sizes}`);
  });

  it("the tokenizer demo's ids equal js-tiktoken's for GPT-2 and GPT-4", async () => {
    const page = browser.contexts()[0]!.pages()[0]!;
    await page.goto(`${site.url}demos/tokens/index.html`, { waitUntil: 'load' });
    const text = 'Tokenizers split "hello world" ... into 12345 pieces; émigré naïve 東京 🙂\n\n  indented';
    await page.fill('#text', text);
    await page.waitForFunction((t) => document.body.dataset.tokenized === t, text, { timeout: 60_000 });
    for (const [name, tiktoken] of [
      ['r50k_base', 'gpt2'],
      ['cl100k_base', 'cl100k_base'],
    ] as const) {
      const ids = JSON.parse((await page.getAttribute(`#${name}`, 'data-ids'))!);
      expect(ids).toEqual(getEncoding(tiktoken).encode(text));
    }
    // Once loaded, it works offline.
    await page.context().setOffline(true);
    await page.fill('#text', 'offline now');
    await page.waitForFunction(() => document.body.dataset.tokenized === 'offline now');
    expect(JSON.parse((await page.getAttribute('#cl100k_base', 'data-ids'))!)).toEqual(
      getEncoding('cl100k_base').encode('offline now'),
    );
    await page.context().setOffline(false);
  });

  it('the sorting demo: every sort of the seeded input is sorted, and binary search finds the value where it is', async () => {
    const page = browser.contexts()[0]!.pages()[0]!;
    await page.goto(`${site.url}demos/sorting/index.html`, { waitUntil: 'load' });
    for (const size of ['200', '37']) {
      await page.fill('#size', size);
      await page.dispatchEvent('#size', 'change');
      await page.waitForFunction(
        () => document.querySelector<HTMLCanvasElement>('#map')!.dataset.drawn !== '',
      );
      const rows = await page.$$eval('#counts tbody tr', (trs) =>
        trs.map((tr) => [(tr as HTMLElement).dataset.sort, (tr as HTMLElement).dataset.ok]),
      );
      expect(rows.map(([name]) => name)).toEqual([
        'quickSort',
        'mergeSort',
        'heapSort',
        'timSort',
        'insertionSort',
      ]);
      expect(rows.every(([, ok]) => ok === 'true')).toBe(true);
      // The input is a shuffle of 1…n and the search looks for its first value v, which sits at index v − 1.
      const summary = await page.textContent('#summary');
      const [, value] = summary!.match(/Binary search found (\d+)/)!;
      expect(await page.getAttribute('#summary', 'data-search-index')).toBe(String(Number(value) - 1));
    }
  });

  it("the generation demo's greedy text (int8 GPT in the browser) equals the model server's for the same model and prompt", async () => {
    // The same int8 model, served by the model server (its own process) from a repository of one model.
    const repository = join(out, '..', `${out.split('/').pop()}-repository`);
    const info = JSON.parse(readFileSync(join(out, 'demos/generate/gpt.json'), 'utf8'));
    mkdirSync(join(repository, 'gpt-char', '1'), { recursive: true });
    writeFileSync(
      join(repository, 'gpt-char', '1', 'model.onnx'),
      readFileSync(join(out, 'demos/generate/gpt-int8.onnx')),
    );
    writeFileSync(
      join(repository, 'gpt-char', 'config.json'),
      JSON.stringify({
        name: 'gpt-char',
        platform: 'onnxruntime_onnx',
        max_batch_size: 4,
        generation: {
          tokenizer: { type: 'characters', alphabet: info.alphabet },
          context_length: info.contextLength,
        },
      }),
    );
    const server = await startModelServer(repository);
    try {
      const prompt = 'Call me Ishmael. ';
      const response = await fetch(`${server.base}/v2/models/gpt-char/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text_input: prompt, parameters: { max_tokens: 40, temperature: 0 } }),
      });
      const served = ((await response.json()) as { text_output: string }).text_output;
      const page = browser.contexts()[0]!.pages()[0]!;
      await page.goto(`${site.url}demos/generate/index.html`, { waitUntil: 'load' });
      await page.fill('#prompt', prompt);
      await page.fill('#tokens', '40');
      await page.click('#generate');
      await page.waitForFunction(
        () => document.querySelector<HTMLElement>('#output')!.dataset.generated !== undefined,
        undefined,
        {
          timeout: 120_000,
        },
      );
      const generated = await page.getAttribute('#output', 'data-generated');
      expect(served).toHaveLength(40);
      expect(generated).toBe(served);
      // Once loaded, it works offline: the same generation again with the network off.
      await page.context().setOffline(true);
      await page.evaluate(() => {
        delete document.querySelector<HTMLElement>('#output')!.dataset.generated;
      });
      await page.click('#generate');
      await page.waitForFunction(
        () => document.querySelector<HTMLElement>('#output')!.dataset.generated !== undefined,
      );
      expect(await page.getAttribute('#output', 'data-generated')).toBe(served);
      await page.context().setOffline(false);
      console.error(
        `portfolio: the int8 GPT in the browser and the server both continue ${JSON.stringify(prompt)} with ${JSON.stringify(served)}`,
      );
    } finally {
      await server.stop();
    }
  });

  it("measures the home page's first load", async () => {
    const page = browser.contexts()[0]?.pages()[0] ?? (await browser.newPage());
    await page.goto('about:blank');
    await page.goto(site.url, { waitUntil: 'load' });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const scripts = performance
        .getEntriesByType('resource')
        .filter((r) => (r as PerformanceResourceTiming).initiatorType === 'script')
        .reduce((sum, r) => sum + (r as PerformanceResourceTiming).encodedBodySize, 0);
      return { load: nav.loadEventEnd - nav.startTime, bytes: nav.transferSize, scripts };
    });
    // The budget: under 200 KB of JavaScript on the home page (it has none: the demos load on their pages).
    expect(timing.scripts).toBeLessThan(200 * 1024);
    console.error(
      `portfolio: home page first load ${timing.load.toFixed(0)} ms, ${timing.bytes} bytes transferred, ${timing.scripts} bytes of script`,
    );
    expect(timing.load).toBeGreaterThan(0);
  });
});
