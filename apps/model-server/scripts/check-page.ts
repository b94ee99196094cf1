// pnpm --filter @mle/model-server exec tsx --conditions=@mle/source scripts/check-page.ts http://127.0.0.1:3000
// The quick-start check's look at a running server: the page loads in a real browser, a drawn test digit is
// classified by the page and by one API call, and both agree with its label. Exits 1 with the reason otherwise.
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
} finally {
  await browser.close();
}
