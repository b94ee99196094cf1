// The workspace folders (apps/*, packages/*) that hold a package.json, for the root scripts.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function workspaceDirs(root) {
  return ['apps', 'packages'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group), { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(root, group, d.name, 'package.json')))
          .map((d) => join(root, group, d.name))
      : [],
  );
}
