import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferBody, scratch, startServer, tinyRepository } from './helpers.js';

let server: Awaited<ReturnType<typeof startServer>>;
let plain: Awaited<ReturnType<typeof startServer>>;
const bins = { min: -1, max: 1, count: 4 };
beforeAll(async () => {
  server = await startServer(tinyRepository({ monitoring: { window_rows: 4, segments: 2, bins } }));
  plain = await startServer(tinyRepository());
});
afterAll(async () => {
  await Promise.all([server.close(), plain.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

/** Bin of a value as the monitor defines it: equal widths over [min, max], clipped into the edge bins. */
const binOf = (v: number) =>
  Math.min(bins.count - 1, Math.max(0, Math.floor(((v - bins.min) / (bins.max - bins.min)) * bins.count)));

describe('traffic statistics (GET /v2/models/{name}/stats)', () => {
  it('holds per-feature histograms of the inputs and outputs and the predicted classes of what was served', async () => {
    const rows = [
      [0.9, -0.9, 0.1, 0.4],
      [-0.5, 0.2, 0.7, -0.1],
      [0.3, 0.3, -0.8, 2],
    ];
    const reply = await server.call('/v2/models/tiny/infer', { body: inferBody(rows) });
    expect(reply.status).toBe(200);
    const probabilities = (reply.json.outputs as { data: number[] }[])[0]!.data;
    const stats = await server.call('/v2/models/tiny/stats');
    expect(stats.status).toBe(200);
    const { name, version, window, total, labels } = stats.json as {
      name: string;
      version: string;
      labels: string[];
      window: { rows: number; inputs: { counts: number[]; clipped: number }[]; predictions: number[] };
      total: { rows: number; outputs: { counts: number[] }[] };
    };
    expect({ name, version, labels }).toEqual({ name: 'tiny', version: '1', labels: ['a', 'b', 'c'] });
    expect(window.rows).toBe(3);
    const expected = new Array(4 * bins.count).fill(0);
    rows.forEach((row) => {
      row.forEach((v, f) => {
        expected[f * bins.count + binOf(v)]++;
      });
    });
    expect(window.inputs[0]!.counts).toEqual(expected);
    expect(window.inputs[0]!.clipped).toBe(1); // the 2 beyond max
    const predicted = [0, 0, 0];
    for (let r = 0; r < 3; r++) {
      const p = probabilities.slice(r * 3, r * 3 + 3);
      predicted[p.indexOf(Math.max(...p))]! += 1;
    }
    expect(window.predictions).toEqual(predicted);
    expect(total.outputs[0]!.counts.reduce((a, b) => a + b)).toBe(9);
    // The statistics are counts only: none of the request's values appears in them.
    expect(JSON.stringify(stats.json)).not.toContain('0.9');
  });

  it('says which model keeps no statistics, and why', async () => {
    expect(await plain.call('/v2/models/tiny/stats')).toMatchObject({
      status: 404,
      json: { error: 'model tiny keeps no traffic statistics (its config.json has no monitoring section)' },
    });
    expect(await plain.call('/v2/models/nope/stats')).toMatchObject({ status: 404 });
  });
});
