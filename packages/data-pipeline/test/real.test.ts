import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadCo2,
  loadFlightsAirport,
  loadMnistAll,
  loadPenguins,
  loadSentiment,
  packageDir,
} from '@mle/datasets';
import { csvParse } from 'd3-dsv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDB, loadRealTables, realQuery } from '../src/index.js';

// Each query is checked against the same answer computed in JavaScript from @mle/datasets' own loaders.
let db: DuckDB;
beforeAll(async () => {
  db = await DuckDB.open();
  expect(await loadRealTables(db)).toEqual({
    routes: 5366,
    airports: 3376,
    penguins: 344,
    co2: 741,
    sentences: 3000,
    digits: 10_000,
  });
});
afterAll(() => db.close());

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('tasks on real data equal the same computed in JavaScript', () => {
  it('route_states: routes joined to airports twice, flights per pair of states, share and rank', async () => {
    const flights = loadFlightsAirport();
    const airports = csvParse(
      readFileSync(join(packageDir('vega-datasets'), 'data', 'airports.csv'), 'utf8'),
    );
    const state = new Map(airports.map((a) => [a.iata!, a.state!]));
    const pairs = new Map<string, { flights: number; routes: number }>();
    for (const e of flights.edges) {
      const key = `${state.get(flights.nodeNames[e.source]!)}>${state.get(flights.nodeNames[e.target]!)}`;
      const p = pairs.get(key) ?? { flights: 0, routes: 0 };
      p.flights += e.weight;
      p.routes++;
      pairs.set(key, p);
    }
    const rows = await realQuery(db, 'route_states');
    expect(rows).toHaveLength(pairs.size);
    expect(sum(rows.map((r) => r.routes as number))).toBe(5366); // no route lost in the joins
    const byOrigin = new Map<string, number>();
    for (const [k, p] of pairs)
      byOrigin.set(k.split('>')[0]!, (byOrigin.get(k.split('>')[0]!) ?? 0) + p.flights);
    for (const r of rows) {
      const p = pairs.get(`${r.origin_state}>${r.destination_state}`)!;
      expect([r.flights, r.routes]).toEqual([p.flights, p.routes]);
      expect(r.share_of_origin).toBeCloseTo(p.flights / byOrigin.get(r.origin_state as string)!, 12);
      const above = [...pairs].filter(
        ([k, q]) => k.startsWith(`${r.origin_state}>`) && q.flights > p.flights,
      );
      expect(r.rank_in_origin).toBe(above.length + 1);
    }
    expect(rows[0]).toMatchObject({ origin_state: 'CA', destination_state: 'CA' });
  });

  it('penguin_islands: the pivot of species by island, counts and mean body mass', async () => {
    const penguins = loadPenguins();
    const rows = await realQuery(db, 'penguin_islands');
    expect(rows.map((r) => r.species)).toEqual([...penguins.classNames]);
    for (const r of rows) {
      for (const island of ['Biscoe', 'Dream', 'Torgersen']) {
        const masses = penguins.features
          .filter(
            (_, i) =>
              penguins.classNames[penguins.labels[i]!] === r.species &&
              penguins.categories.island[i] === island,
          )
          .map((f) => f[3]!);
        const key = island.toLowerCase();
        expect(r[`${key}_birds`]).toBe(masses.length);
        if (masses.length === 0) expect(r[`${key}_mass_g`]).toBeNull();
        else expect(r[`${key}_mass_g`]).toBeCloseTo(sum(masses) / masses.length, 9);
      }
    }
    expect(sum(rows.flatMap((r) => [r.biscoe_birds, r.dream_birds, r.torgersen_birds] as number[]))).toBe(
      342,
    );
  });

  it('co2_trend: a 12-month mean and the change from a year before, over the calendar despite the gaps', async () => {
    const co2 = loadCo2();
    const value = new Map(co2.dates.map((d, i) => [d, co2.values[i]!]));
    const rows = await realQuery(db, 'co2_trend');
    expect(rows).toHaveLength(co2.dates.length);
    rows.forEach((r, i) => {
      const date = co2.dates[i]!;
      expect((r.month as Date).toISOString().slice(0, 10)).toBe(date);
      const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
      const window = co2.dates.filter((d) => {
        const months = (y - Number(d.slice(0, 4))) * 12 + (m - Number(d.slice(5, 7)));
        return months >= 0 && months < 12;
      });
      expect(r.months_in_window).toBe(window.length);
      expect(r.mean_12_months).toBeCloseTo(sum(window.map((d) => value.get(d)!)) / window.length, 9);
      const before = value.get(`${y - 1}${date.slice(4)}`);
      if (before === undefined) expect(r.change_from_year_before).toBeNull();
      else expect(r.change_from_year_before).toBeCloseTo(co2.values[i]! - before, 9);
    });
    // A month after a gap: its year holds fewer than 12 recorded months, which a 12-row window would have hidden.
    expect(
      rows.filter((r) => (r.month as Date).getUTCFullYear() > 1959 && (r.months_in_window as number) < 12)
        .length,
    ).toBeGreaterThan(0);
  });

  it('sentence_duplicates: exact copies after trimming and lower-casing, the first kept, label conflicts flagged', async () => {
    const sentences = loadSentiment();
    const groups = new Map<string, number[]>();
    sentences.forEach((s, i) => {
      const key = s.text.trim().toLowerCase();
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const rows = await realQuery(db, 'sentence_duplicates');
    expect(rows).toHaveLength(groups.size);
    expect(groups.size).toBeLessThan(sentences.length); // the set has copies to remove
    for (const r of rows) {
      const members = groups.get((r.text as string).trim().toLowerCase())!;
      expect(r.id).toBe(members[0]); // the first copy is kept
      expect(r.copies).toBe(members.length);
      expect(r.conflicting_labels).toBe(new Set(members.map((i) => sentences[i]!.label)).size > 1 ? 1 : 0);
    }
  });

  it('digit_balance: images, share and ink per class', async () => {
    const mnist = loadMnistAll();
    const rows = await realQuery(db, 'digit_balance');
    expect(rows.map((r) => r.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of rows) {
      const ink: number[] = [];
      mnist.labels.forEach((label, i) => {
        if (label !== r.label) return;
        ink.push(mnist.images.subarray(i * 784, (i + 1) * 784).filter((v) => v > 0.5).length);
      });
      expect([r.images, r.min_ink, r.max_ink]).toEqual([ink.length, Math.min(...ink), Math.max(...ink)]);
      expect(r.share).toBeCloseTo(ink.length / 10_000, 12);
      expect(r.mean_ink).toBeCloseTo(sum(ink) / ink.length, 9);
    }
  });
});
