import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './hash.js';
import type { ModelRegistry, ModelVersion } from './registry.js';

export interface Deployment {
  name: string;
  version: number;
  /** The version's directory in the server's repository: <repository>/<name>/<version>/. */
  dir: string;
  /** False when the version's files were already there and the config already pinned it. */
  changed: boolean;
}

/** Writes a file so a reader sees the old bytes or the new, never half: a sibling temporary file, then a rename. */
function writeAtomically(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/**
 * Deploys a registered version into a model server's repository (Triton's layout, which @mle/serving-core polls):
 * the model file is checked against the hash the registry holds, copied into `.tmp-<version>-<pid>/` and renamed to
 * `<version>/` only when complete, and then the model's config.json is replaced (atomically) by the version's own,
 * pinned to this version by `version_policy`. The server loads the new version beside the old one and swaps when
 * it is ready, so traffic is answered throughout; the versions stay on disk, so a rollback is a config change.
 */
export function deployToRepository(
  registry: ModelRegistry,
  version: ModelVersion,
  repository: string,
): Deployment {
  registry.verify(version);
  const modelDir = join(repository, version.name);
  const dir = join(modelDir, String(version.version));
  let changed = false;
  if (existsSync(dir)) {
    const deployed = sha256(readFileSync(join(dir, 'model.onnx')));
    if (deployed !== version.sha256)
      throw new Error(
        `${dir}/model.onnx has sha256 ${deployed.slice(0, 12)}…, but version ${version.version} of "${version.name}" is ${version.sha256.slice(0, 12)}…: refusing to serve a file that is not the registered model`,
      );
  } else {
    const scratch = join(modelDir, `.tmp-${version.version}-${process.pid}`);
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    copyFileSync(join(version.artifactDir, 'model.onnx'), join(scratch, 'model.onnx'));
    renameSync(scratch, dir);
    changed = true;
  }
  const config = {
    ...JSON.parse(readFileSync(join(version.artifactDir, 'config.json'), 'utf8')),
    version_policy: { specific: { versions: [version.version] } },
  };
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const configPath = join(modelDir, 'config.json');
  if (!existsSync(configPath) || readFileSync(configPath, 'utf8') !== text) {
    writeAtomically(configPath, text);
    changed = true;
  }
  return { name: version.name, version: version.version, dir, changed };
}

/** Deploys the version the registry has in production. */
export function deployProduction(registry: ModelRegistry, name: string, repository: string): Deployment {
  const production = registry.production(name);
  if (!production) throw new Error(`model "${name}" has no version in production to deploy`);
  return deployToRepository(registry, production, repository);
}

/** Rolls the registry back to the previous production version and deploys it: one call, one command. */
export function rollback(
  registry: ModelRegistry,
  name: string,
  repository: string,
): Deployment & { from: number } {
  // The files first (verified against the registry), then the stage change: a rollback that cannot deploy
  // leaves the registry as it was.
  const deployment = deployToRepository(registry, registry.previousProduction(name), repository);
  const { from } = registry.rollback(name);
  return { ...deployment, from: from.version };
}
