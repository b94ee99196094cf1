import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One cache as the operating system describes it. */
export interface SystemCache {
  level: number;
  type: 'Data' | 'Instruction' | 'Unified';
  bytes: number;
  lineBytes: number;
  ways: number | undefined;
  /** CPUs sharing this cache, as the kernel lists them (e.g. "0-1"). */
  sharedWith: string | undefined;
}

export const SYSFS_CACHE_ROOT = '/sys/devices/system/cpu/cpu0/cache';

/** The operating system does not describe the caches here (containers often hide /sys), or described them oddly. */
export class CacheInfoUnavailableError extends Error {
  override name = 'CacheInfoUnavailableError';
}

/** Parses a sysfs or lscpu size: "48K", "2048K", "480 MiB", "2M", "1G" or plain bytes. */
export function parseCacheSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?\s*$/i.exec(text);
  if (match === null)
    throw new CacheInfoUnavailableError(
      `cache size "${text}" is not a number of bytes with an optional K, M or G suffix`,
    );
  const scale = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[
    match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'
  ];
  return Math.round(Number(match[1]) * scale);
}

/**
 * The caches of the first CPU, from Linux's sysfs (one indexN directory per cache, each with level, type, size
 * and coherency_line_size files). Throws CacheInfoUnavailableError naming what is missing.
 */
export function readSysfsCaches(root = SYSFS_CACHE_ROOT): SystemCache[] {
  if (!existsSync(root))
    throw new CacheInfoUnavailableError(
      `${root} does not exist: this system (often a container or a non-Linux host) does not describe its caches; ` +
        'the probe still runs, with nothing to compare against',
    );
  const indices = readdirSync(root)
    .filter((name) => /^index\d+$/.test(name))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  if (indices.length === 0)
    throw new CacheInfoUnavailableError(`${root} has no index* directories: no caches described`);
  return indices.map((index) => {
    const dir = join(root, index);
    const read = (file: string, required = true): string | undefined => {
      const path = join(dir, file);
      if (existsSync(path)) return readFileSync(path, 'utf8').trim();
      if (required)
        throw new CacheInfoUnavailableError(`${path} is missing: cannot tell this cache's ${file}`);
      return undefined;
    };
    const ways = read('ways_of_associativity', false);
    return {
      level: wholeNumber(read('level')!, join(dir, 'level')),
      type: cacheType(read('type')!, join(dir, 'type')),
      bytes: parseCacheSize(read('size')!),
      lineBytes: wholeNumber(read('coherency_line_size')!, join(dir, 'coherency_line_size')),
      ways: ways === undefined ? undefined : wholeNumber(ways, join(dir, 'ways_of_associativity')),
      sharedWith: read('shared_cpu_list', false),
    };
  });
}

function wholeNumber(text: string, where: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new CacheInfoUnavailableError(`${where} says "${text}", expected a whole number`);
  return value;
}

function cacheType(text: string, where: string): SystemCache['type'] {
  if (text !== 'Data' && text !== 'Instruction' && text !== 'Unified')
    throw new CacheInfoUnavailableError(`${where} says "${text}", expected Data, Instruction or Unified`);
  return text;
}

/** The caches as `lscpu --caches` reports them per CPU (util-linux), or undefined when lscpu is not installed. */
export function readLscpuCaches(): SystemCache[] | undefined {
  let output: string;
  try {
    output = execFileSync('lscpu', ['--json', '--caches'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
  return parseLscpuCaches(output);
}

/** Parses `lscpu --json --caches`: { caches: [{ name, "one-size", level, type, "coherency-size", ways }] }. */
export function parseLscpuCaches(json: string): SystemCache[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new CacheInfoUnavailableError(`lscpu output is not JSON: ${(error as Error).message}`);
  }
  const caches =
    typeof parsed === 'object' && parsed !== null ? (parsed as { caches?: unknown }).caches : undefined;
  if (!Array.isArray(caches)) throw new CacheInfoUnavailableError('lscpu output has no "caches" array');
  return caches.map((entry: Record<string, unknown>, i) => {
    const where = `lscpu cache ${i} (${String(entry?.name)})`;
    const field = (name: string) => {
      const value = entry?.[name];
      if (value === undefined || value === null)
        throw new CacheInfoUnavailableError(`${where} has no "${name}"`);
      return value;
    };
    return {
      level: wholeNumber(String(field('level')), `${where} level`),
      type: cacheType(String(field('type')), `${where} type`),
      bytes: parseCacheSize(String(field('one-size'))),
      lineBytes: wholeNumber(String(field('coherency-size')), `${where} coherency-size`),
      ways: entry.ways === undefined ? undefined : wholeNumber(String(entry.ways), `${where} ways`),
      sharedWith: undefined,
    };
  });
}

/** The data caches a load goes through, L1d first (instruction caches left out). */
export function dataCaches(caches: readonly SystemCache[]): SystemCache[] {
  return caches.filter((c) => c.type !== 'Instruction').sort((a, b) => a.level - b.level);
}

/** The line size of the first data cache, which is the size a load moves. */
export function dataLineBytes(caches: readonly SystemCache[]): number | undefined {
  return dataCaches(caches)[0]?.lineBytes;
}
