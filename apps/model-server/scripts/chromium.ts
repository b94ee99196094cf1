// The browser for the page test and the quick-start check: one that comes with `pnpm install`.
// Order: CHROMIUM_PATH when set; else a Chrome or Chromium installed on the system (macOS, other Linux
// distributions); else the Chromium 143 that @sparticuz/chromium ships brotli-packed inside its npm package
// (unpacked to the temp dir on first launch, ~3 s, then reused). Playwright's own download does not work offline.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** The major version the packed browser must report; a different one left in the temp dir is replaced. */
const PACKED_MAJOR = 143;

// Without the background-networking flags Chromium keeps opening connections a closed network refuses.
const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** For a Chrome or Chromium found outside the npm package (the packed one brings its own flags). */
const INSTALLED_BROWSER_ARGS = ['--headless', '--disable-gpu', ...QUIET_FLAGS];

export interface BrowserChoice {
  executablePath: string;
  args: string[];
  /** Where the browser came from, for the test log. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

function versionOf(executable: string): string {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return '';
  }
}

async function packedChromium(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `no browser found: @sparticuz/chromium ships Linux x64 only (this is ${process.platform}-${process.arch}); install Chrome or Chromium, or set CHROMIUM_PATH`,
    );
  // Two test processes (the model server's page, the mlops report) may launch at once: one unpacks, the other
  // waits, so neither starts a half-written binary.
  return withUnpackLock(async () => {
    let executable = await sparticuz.executablePath();
    // @sparticuz/chromium reuses whatever $TMPDIR/chromium holds without checking its version.
    if (!versionOf(executable).includes(`Chromium ${PACKED_MAJOR}.`)) {
      rmSync(join(tmpdir(), 'chromium'), { force: true, recursive: true });
      executable = await sparticuz.executablePath();
    }
    return executable;
  });
}

/** Runs `fn` holding a lock directory in the temp dir (mkdir is atomic); a lock older than two minutes is stale. */
async function withUnpackLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'chromium.unpack-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function chooseBrowser(env: NodeJS.ProcessEnv = process.env): Promise<BrowserChoice> {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(
        `CHROMIUM_PATH=${fromEnv}: no such file; unset it to use a system Chrome or the bundled Chromium`,
      );
    return {
      executablePath: fromEnv,
      args: INSTALLED_BROWSER_ARGS,
      source: 'CHROMIUM_PATH',
    };
  }
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path));
  if (system)
    return {
      executablePath: system,
      args: INSTALLED_BROWSER_ARGS,
      source: 'system',
    };
  return {
    executablePath: await packedChromium(),
    args: [...sparticuz.args, ...QUIET_FLAGS],
    source: '@sparticuz/chromium',
  };
}

/** A headless Chromium driven by Playwright; the caller closes it. */
export async function launchChromium(): Promise<{ browser: Browser; choice: BrowserChoice }> {
  const choice = await chooseBrowser();
  const browser = await chromium.launch({
    executablePath: choice.executablePath,
    args: choice.args,
    headless: true,
  });
  return { browser, choice };
}
