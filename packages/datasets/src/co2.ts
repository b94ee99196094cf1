import { join } from 'node:path';
import { DatasetError } from './errors.js';
import { expectCount, finiteNumber, packageDir, readCsv } from './files.js';

export interface MonthlySeries {
  readonly name: string;
  readonly unit: string;
  /** First day of each month, ISO "YYYY-MM-DD", strictly increasing. */
  readonly dates: readonly string[];
  readonly values: readonly number[];
  /** The seasonally adjusted series published beside it. */
  readonly adjusted: readonly number[];
  /** Months absent from the record (the file skips them): a model that assumes a regular grid must fill them. */
  readonly missingMonths: readonly string[];
}

/** Mauna Loa monthly mean CO2 (ppm), March 1958 – April 2020, 741 months; 5 months of 1958 and 1964 are absent. */
export function loadCo2(
  file = join(packageDir('vega-datasets'), 'data', 'co2-concentration.csv'),
): MonthlySeries {
  const expected = 'CSV with Date, CO2, adjusted CO2; 741 monthly rows';
  const rows = readCsv('co2', file, ['Date', 'CO2', 'adjusted CO2'], expected);
  expectCount('co2', `rows in ${file}`, rows.length, 741);
  const dates: string[] = [];
  const values: number[] = [];
  const adjusted: number[] = [];
  const missingMonths: string[] = [];
  rows.forEach((row, r) => {
    const date = row.Date ?? '';
    if (!/^\d{4}-\d{2}-01$/.test(date)) {
      throw new DatasetError('co2', `row ${r} Date is ${JSON.stringify(date)}, expected YYYY-MM-01`);
    }
    const previous = dates.at(-1);
    if (previous !== undefined) {
      if (date <= previous)
        throw new DatasetError('co2', `row ${r} date ${date} does not follow ${previous}`);
      for (let m = nextMonth(previous); m < date; m = nextMonth(m)) missingMonths.push(m);
    }
    const value = finiteNumber('co2', row.CO2, `row ${r} CO2`);
    if (value < 250 || value > 500)
      throw new DatasetError('co2', `row ${r} CO2 is ${value}, expected 250–500 ppm`);
    dates.push(date);
    values.push(value);
    adjusted.push(finiteNumber('co2', row['adjusted CO2'], `row ${r} adjusted CO2`));
  });
  return { name: 'Mauna Loa CO2', unit: 'ppm', dates, values, adjusted, missingMonths };
}

function nextMonth(isoDate: string): string {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

export interface AnnualSeries {
  readonly name: string;
  readonly unit: string;
  readonly years: readonly number[];
  readonly values: readonly number[];
}

/** Global mean surface temperature anomaly (°C against 1951–1980), one value a year from 1880 (NASA GISTEMP, as vega-datasets ships it). */
export function loadGlobalTemperature(
  file = join(packageDir('vega-datasets'), 'data', 'global-temp.csv'),
): AnnualSeries {
  const rows = readCsv(
    'global-temp',
    file,
    ['year', 'temp'],
    'CSV with year, temp; one row a year from 1880',
  );
  const years: number[] = [];
  const values: number[] = [];
  rows.forEach((row, r) => {
    const year = finiteNumber('global-temp', row.year, `row ${r} year`);
    const expectedYear = 1880 + r;
    if (year !== expectedYear)
      throw new DatasetError(
        'global-temp',
        `row ${r} year is ${year}, expected ${expectedYear} (one row a year from 1880)`,
      );
    const value = finiteNumber('global-temp', row.temp, `row ${r} temp`);
    if (value < -2 || value > 3)
      throw new DatasetError('global-temp', `row ${r} temp is ${value}, expected an anomaly within −2…3 °C`);
    years.push(year);
    values.push(value);
  });
  if (years.length < 100)
    throw new DatasetError('global-temp', `${file} has ${years.length} years, expected at least 100`);
  return { name: 'Global temperature anomaly', unit: '°C', years, values };
}
