import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';

/** The name, inside an output directory, of the link to the published version readers use. */
export const CURRENT = 'current';
const STAGING = '.staging-';
const VERSION = 'v-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Flushes a directory tree to disk: every file, then every directory, so the rename publishes data that is there. */
function syncTree(path: string): void {
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) syncTree(join(path, entry));
  syncPath(path);
}

function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The version the `current` link points to, or undefined before the first publish. */
export function currentVersion(outDir: string): string | undefined {
  try {
    return readlinkSync(join(outDir, CURRENT));
  } catch {
    return undefined;
  }
}

/**
 * Writes a set of outputs so that readers see either all of the old ones or all of the new ones, never a mix, even
 * if the process is killed: `write` fills a staging directory inside `outDir`; once it returns, the directory is
 * synced to disk and renamed to a new version `v-<n>`, and the link `outDir/current` is replaced by a new link
 * renamed over it (rename is atomic on POSIX file systems). If `write` throws, or the process dies, `current` still
 * points to the previous version. Staging left by a dead process is removed on the next publish; the previous
 * version is kept beside the new one (for a rollback), older ones removed. Returns the new version's path.
 */
export async function publishAtomically(
  outDir: string,
  write: (stagingDir: string) => Promise<void>,
): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  for (const entry of readdirSync(outDir)) {
    const pid = Number(entry.slice(STAGING.length).split('-')[0]);
    if (entry.startsWith(STAGING) && !alive(pid))
      rmSync(join(outDir, entry), { recursive: true, force: true });
  }
  const staging = join(outDir, `${STAGING}${process.pid}-${Date.now()}`);
  mkdirSync(staging);
  try {
    await write(staging);
    syncTree(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const versions = readdirSync(outDir)
    .filter((e) => e.startsWith(VERSION))
    .map((e) => Number(e.slice(VERSION.length)))
    .filter(Number.isSafeInteger);
  const version = `${VERSION}${Math.max(0, ...versions) + 1}`;
  renameSync(staging, join(outDir, version));
  const link = join(outDir, `.link-${process.pid}`);
  rmSync(link, { force: true });
  symlinkSync(version, link);
  const previous = currentVersion(outDir);
  renameSync(link, join(outDir, CURRENT));
  syncPath(outDir);
  for (const v of versions)
    if (`${VERSION}${v}` !== previous)
      rmSync(join(outDir, `${VERSION}${v}`), { recursive: true, force: true });
  return join(outDir, version);
}
