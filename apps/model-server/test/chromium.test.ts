import { describe, expect, it } from 'vitest';
import { chooseBrowser } from '../scripts/chromium.js';

describe('choosing the browser', () => {
  it('CHROMIUM_PATH wins when it names a file, and a wrong one is refused by name', async () => {
    const chosen = await chooseBrowser({ CHROMIUM_PATH: process.execPath });
    expect(chosen).toMatchObject({ executablePath: process.execPath, source: 'CHROMIUM_PATH' });
    expect(chosen.args).toContain('--disable-background-networking');
    await expect(chooseBrowser({ CHROMIUM_PATH: '/nonexistent/chrome' })).rejects.toThrow(
      'CHROMIUM_PATH=/nonexistent/chrome: no such file; unset it to use a system Chrome or the bundled Chromium',
    );
  });
});
