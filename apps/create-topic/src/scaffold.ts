import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Topic, topicFiles } from './templates.js';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Writes packages/<name> under `root`; refuses a bad name or an existing folder. Returns the written paths. */
export function scaffoldTopic(root: string, topic: Topic): string[] {
  if (!NAME.test(topic.name)) {
    throw new Error(`create-topic: name "${topic.name}" must be kebab-case, like "memory-hierarchy"`);
  }
  if (topic.description.trim() === '') throw new Error('create-topic: a one-line description is required');
  if (!existsSync(join(root, 'pnpm-workspace.yaml'))) {
    throw new Error(`create-topic: ${root} is not the workspace root (no pnpm-workspace.yaml)`);
  }
  const dir = join(root, 'packages', topic.name);
  if (existsSync(dir)) throw new Error(`create-topic: ${dir} already exists; pick another name`);
  return Object.entries(topicFiles(topic)).map(([relative, content]) => {
    const file = join(dir, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  });
}
