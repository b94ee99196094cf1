import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CacheInfoUnavailableError,
  dataCaches,
  parseCacheSize,
  parseLscpuCaches,
  readLscpuCaches,
  readSysfsCaches,
  SYSFS_CACHE_ROOT,
} from '../src/system-caches.js';

/** What this repository's development machine reported (a 2-vCPU KVM guest), as sysfs files. */
const MACHINE: Record<string, string>[] = [
  {
    level: '1',
    type: 'Data',
    size: '48K',
    coherency_line_size: '64',
    ways_of_associativity: '12',
    shared_cpu_list: '0',
  },
  { level: '1', type: 'Instruction', size: '64K', coherency_line_size: '64', ways_of_associativity: '16' },
  { level: '2', type: 'Unified', size: '2048K', coherency_line_size: '64', ways_of_associativity: '16' },
  { level: '3', type: 'Unified', size: '491520K', coherency_line_size: '64', shared_cpu_list: '0-1' },
];

const LSCPU_JSON = JSON.stringify({
  caches: [
    {
      name: 'L1d',
      'one-size': '48K',
      'all-size': '96K',
      ways: 12,
      type: 'Data',
      level: 1,
      'coherency-size': 64,
    },
    { name: 'L1i', 'one-size': '64K', ways: 16, type: 'Instruction', level: 1, 'coherency-size': 64 },
    { name: 'L2', 'one-size': '2M', ways: 16, type: 'Unified', level: 2, 'coherency-size': 64 },
    { name: 'L3', 'one-size': '480M', ways: 16, type: 'Unified', level: 3, 'coherency-size': 64 },
  ],
});

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function fakeSysfs(entries: Record<string, string>[]): string {
  const root = mkdtempSync(join(tmpdir(), 'mh-sysfs-'));
  dirs.push(root);
  entries.forEach((files, i) => {
    const dir = join(root, `index${i}`);
    mkdirSync(dir);
    for (const [name, value] of Object.entries(files)) writeFileSync(join(dir, name), `${value}\n`);
  });
  writeFileSync(join(root, 'uevent'), '');
  return root;
}

describe('parseCacheSize', () => {
  it('reads the suffixes sysfs and lscpu use', () => {
    expect(parseCacheSize('48K')).toBe(48 * 1024);
    expect(parseCacheSize('2048K')).toBe(2 * 1024 ** 2);
    expect(parseCacheSize('480M')).toBe(480 * 1024 ** 2);
    expect(parseCacheSize('1.5 MiB')).toBe(1.5 * 1024 ** 2);
    expect(parseCacheSize('32768')).toBe(32768);
  });

  it('names a size it cannot read', () => {
    expect(() => parseCacheSize('big')).toThrow('cache size "big" is not a number of bytes');
  });
});

describe('readSysfsCaches', () => {
  it('reads every cache of the first CPU in index order', () => {
    const caches = readSysfsCaches(fakeSysfs(MACHINE));
    expect(caches.map((c) => [c.level, c.type, c.bytes, c.lineBytes])).toEqual([
      [1, 'Data', 48 * 1024, 64],
      [1, 'Instruction', 64 * 1024, 64],
      [2, 'Unified', 2 * 1024 ** 2, 64],
      [3, 'Unified', 480 * 1024 ** 2, 64],
    ]);
    expect(caches[0]!.ways).toBe(12);
    expect(caches[3]!.ways).toBeUndefined();
    expect(caches[3]!.sharedWith).toBe('0-1');
    expect(dataCaches(caches).map((c) => c.level)).toEqual([1, 2, 3]);
  });

  it('explains a missing directory, as in a container that hides /sys', () => {
    const missing = join(tmpdir(), 'mh-no-such-dir', 'cache');
    const read = () => readSysfsCaches(missing);
    expect(read).toThrow(CacheInfoUnavailableError);
    expect(read).toThrow(`${missing} does not exist: this system (often a container or a non-Linux host)`);
  });

  it('names the file that is missing or wrong', () => {
    const root = fakeSysfs(MACHINE);
    unlinkSync(join(root, 'index2', 'size'));
    expect(() => readSysfsCaches(root)).toThrow(
      `${join(root, 'index2', 'size')} is missing: cannot tell this cache's size`,
    );
    const odd = fakeSysfs([{ ...MACHINE[0]!, level: 'one' }]);
    expect(() => readSysfsCaches(odd)).toThrow(
      `${join(odd, 'index0', 'level')} says "one", expected a whole number`,
    );
    const empty = fakeSysfs([]);
    expect(() => readSysfsCaches(empty)).toThrow('has no index* directories');
  });
});

describe('lscpu', () => {
  it('parses `lscpu --json --caches`', () => {
    expect(parseLscpuCaches(LSCPU_JSON).map((c) => [c.level, c.type, c.bytes, c.lineBytes])).toEqual([
      [1, 'Data', 48 * 1024, 64],
      [1, 'Instruction', 64 * 1024, 64],
      [2, 'Unified', 2 * 1024 ** 2, 64],
      [3, 'Unified', 480 * 1024 ** 2, 64],
    ]);
  });

  it('names output it cannot use', () => {
    expect(() => parseLscpuCaches('not json')).toThrow('lscpu output is not JSON');
    expect(() => parseLscpuCaches('{}')).toThrow('lscpu output has no "caches" array');
    expect(() => parseLscpuCaches('null')).toThrow('lscpu output has no "caches" array');
    expect(() => parseLscpuCaches('{"caches":[null]}')).toThrow('lscpu cache 0 (undefined) has no "level"');
    expect(() => parseLscpuCaches('{"caches":[{"name":"L1d","level":1,"type":"Data"}]}')).toThrow(
      'lscpu cache 0 (L1d) has no "one-size"',
    );
    expect(() =>
      parseLscpuCaches(
        '{"caches":[{"name":"L9","level":1,"type":"Victim","one-size":"1K","coherency-size":64}]}',
      ),
    ).toThrow('lscpu cache 0 (L9) type says "Victim", expected Data, Instruction or Unified');
  });

  it.runIf(existsSync(SYSFS_CACHE_ROOT) && readLscpuCaches() !== undefined)(
    'on this machine, our sysfs reading agrees with lscpu’s',
    () => {
      const ours = readSysfsCaches().map((c) => [c.level, c.type, c.bytes, c.lineBytes]);
      const theirs = readLscpuCaches()!.map((c) => [c.level, c.type, c.bytes, c.lineBytes]);
      expect(ours).toEqual(theirs);
    },
  );
});
