import type { HierarchyEstimate } from './knees.js';
import { dataCaches, type SystemCache } from './system-caches.js';

export interface LevelComparison {
  level: number;
  detectedBytes: number;
  detectedNs: number;
  /** Size of the data cache of this level as the system reports it, when it reports one. */
  systemBytes: number | undefined;
  /** detected ÷ reported: 1 is a perfect match; the target is within 2× either way. */
  ratio: number | undefined;
}

/** Pairs the n-th detected knee with the system's level-n data cache. */
export function compareWithSystem(
  estimate: HierarchyEstimate,
  caches: readonly SystemCache[] | undefined,
): LevelComparison[] {
  const reported = caches === undefined ? [] : dataCaches(caches);
  return estimate.levels.map((level) => {
    const system = reported.find((c) => c.level === level.level);
    return {
      level: level.level,
      detectedBytes: level.bytes,
      detectedNs: level.ns,
      systemBytes: system?.bytes,
      ratio: system === undefined ? undefined : level.bytes / system.bytes,
    };
  });
}

/** True when `ratio` is within `factor` of 1 either way. */
export function withinFactor(ratio: number, factor: number): boolean {
  return ratio >= 1 / factor && ratio <= factor;
}

/** 49152 → "48 KiB", 2097152 → "2 MiB", 11281893 → "10.8 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  return `${text} ${units[unit]}`;
}
