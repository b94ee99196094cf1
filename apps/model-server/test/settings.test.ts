import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES, settingsFromEnv } from '../src/settings.js';

const turbo = JSON.parse(readFileSync(new URL('../../../turbo.json', import.meta.url), 'utf8'));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('settings', () => {
  it('every setting the server reads reaches it from `pnpm start` (turbo passes it through) and is documented', () => {
    expect([...turbo.tasks.start.passThroughEnv].sort()).toEqual([...SETTING_NAMES].sort());
    const table = readme.slice(readme.indexOf('### Settings'), readme.indexOf('## What it answers'));
    for (const name of SETTING_NAMES)
      expect(table, `README settings table: ${name}`).toContain(`\`${name}\``);
  });

  it('reads each one from the environment it is given', () => {
    const settings = settingsFromEnv({ PORT: '3111', HOST: '127.0.0.1', POLL_MS: '0', LOG_LEVEL: 'warn' });
    expect(settings).toMatchObject({ PORT: 3111, HOST: '127.0.0.1', POLL_MS: 0, LOG_LEVEL: 'warn' });
    expect(() => settingsFromEnv({ PORT: 'eighty' })).toThrow('invalid configuration: PORT:');
  });
});
