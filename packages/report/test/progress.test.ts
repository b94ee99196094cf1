import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, progressEnabled } from '../src/index.js';

/** A real stream that claims to be (or not to be) a terminal, capturing what is drawn. */
function terminal(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & {
    isTTY: boolean;
    columns: number;
    cursorTo(): boolean;
    clearLine(): boolean;
    moveCursor(): boolean;
  };
  stream.isTTY = isTTY;
  stream.columns = 120;
  stream.cursorTo = () => true;
  stream.clearLine = () => true;
  stream.moveCursor = () => true;
  let written = '';
  stream.on('data', (chunk: Buffer) => {
    written += chunk.toString();
  });
  return { stream: stream as unknown as NodeJS.WriteStream, written: () => written };
}

describe('progress bar', () => {
  it('is shown only on a terminal with CI unset', () => {
    expect(progressEnabled(terminal(true).stream, {})).toBe(true);
    expect(progressEnabled(terminal(false).stream, {})).toBe(false);
    expect(progressEnabled(terminal(true).stream, { CI: 'true' })).toBe(false);
  });

  it('writes nothing when not a terminal', async () => {
    const out = terminal(false);
    const bar = createProgress({ total: 10, label: 'epochs', stream: out.stream });
    for (let i = 0; i < 10; i++) bar.increment(1, { loss: 0.5 });
    bar.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(bar.enabled).toBe(false);
    expect(out.written()).toBe('');
  });

  it('draws the label, count and fields on a terminal', async () => {
    const out = terminal(true);
    const bar = createProgress({ total: 4, label: 'epochs', stream: out.stream, enabled: true });
    bar.increment(1);
    bar.update(4, { loss: '0.123' });
    bar.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.written()).toContain('epochs');
    expect(out.written()).toContain('4/4 100%');
    expect(out.written()).toContain('loss 0.123');
  });
});
