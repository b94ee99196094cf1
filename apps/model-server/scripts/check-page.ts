// pnpm --filter @mle/model-server exec tsx --conditions=@mle/source scripts/check-page.ts http://127.0.0.1:3000
// The quick-start check's look at a running server: the page loads in a real browser, a drawn test digit is
// classified by the page and by one API call, and both agree with its label; then the text page streams 40
// characters from the GPT, the same the API gives for the same settings. Exits 1 with the reason otherwise.
import { launchChromium } from './chromium.js';
import { drawDigit, firstServedRight, testDigits } from './page-driver.js';

const base = process.argv[2];
if (!base || !/^https?:\/\//.test(base)) {
  console.error('usage: check-page.ts <server base URL, e.g. http://127.0.0.1:3000>');
  process.exit(2);
}

const candidates = testDigits(50);
const digit = await firstServedRight(base, 'mnist', candidates);
console.log(`check-page: the API classifies a test ${digit.label} correctly`);

const { browser, choice } = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(base);
  const title = await page.title();
  if (!title.includes('MNIST'))
    throw new Error(`the page at ${base} has title "${title}", not the demo page`);
  const answer = await drawDigit(page, 'mnist', digit.pixels);
  if (answer.digit !== digit.label)
    throw new Error(`the page answered ${answer.digit} for a drawn ${digit.label}`);
  console.log(
    `check-page: the page (${choice.source} Chromium) answers ${answer.digit}; ${answer.result.trim()}`,
  );

  // The text page, with its default sampling settings and seed: the API must give the same 40 characters.
  await page.goto(`${base}/generate.html`);
  await page.waitForSelector('#model option[value="gpt-char"]', { state: 'attached' });
  await page.fill('#max-tokens', '40');
  await page.click('#generate');
  await page.waitForFunction(() =>
    /^(Done|Stopped|The server|Failed)/.test(document.querySelector('#stats')!.textContent!),
  );
  const stats = (await page.textContent('#stats')) ?? '';
  const shown = (await page.textContent('#generated')) ?? '';
  const settings = await page.evaluate(() =>
    Object.fromEntries(
      ['#prompt', '#temperature', '#top-k', '#top-p', '#seed'].map((id) => [
        id,
        (document.querySelector(id) as HTMLInputElement).value,
      ]),
    ),
  );
  const api = (await fetch(`${base}/v2/models/gpt-char/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      text_input: settings['#prompt'],
      parameters: {
        max_tokens: 40,
        temperature: Number(settings['#temperature']),
        top_k: Number(settings['#top-k']),
        top_p: Number(settings['#top-p']),
        seed: Number(settings['#seed']),
      },
    }),
  }).then((r) => r.json())) as { text_output: string };
  if (!stats.startsWith('Done (length): 40 tokens') || shown !== api.text_output)
    throw new Error(
      `the text page showed ${JSON.stringify(shown)} (${stats}); the API gave ${JSON.stringify(api.text_output)}`,
    );
  console.log(
    `check-page: the text page streamed 40 characters, as the API gives them: ${JSON.stringify(shown)}`,
  );
} finally {
  await browser.close();
}
