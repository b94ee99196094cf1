import { parseArgs } from 'node:util';
import { formatTable } from '@mle/report';
import { deployProduction, rollback } from './deploy.js';
import type { ModelRegistry } from './registry.js';

const USAGE = 'usage: models list | deploy | rollback [--name mnist] [--repository DIR]';

/**
 * `models list | deploy | rollback`: the registry's versions with their stage, lineage and gate; deploy production
 * into a model server's repository; roll production back to the previous version and deploy it, in one command.
 */
export function modelsCli(registry: ModelRegistry, argv: string[], defaultRepository: string): string {
  const { values, positionals } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    allowPositionals: true,
    options: {
      name: { type: 'string', default: 'mnist' },
      repository: { type: 'string', default: defaultRepository },
    },
  });
  const [command, ...rest] = positionals;
  if (rest.length > 0) throw new Error(`unexpected argument "${rest[0]}"; ${USAGE}`);
  const name = values.name!;
  const repository = values.repository!;
  switch (command) {
    case 'list': {
      const versions = registry.versions(name);
      if (versions.length === 0) return `no versions of model "${name}" are registered`;
      return formatTable(
        ['version', 'stage', 'test accuracy', 'gate', 'run', 'data', 'model sha256'],
        versions.map((v) => [
          String(v.version),
          v.stage,
          v.metrics.test_accuracy === undefined ? '' : `${(100 * v.metrics.test_accuracy).toFixed(2)}%`,
          v.gate === null ? '' : v.gate.passed ? 'passed' : 'failed',
          v.runId?.slice(0, 8) ?? '',
          v.dataHash.slice(0, 12),
          v.sha256.slice(0, 12),
        ]),
        { align: ['right', 'left', 'right', 'left', 'left', 'left', 'left'] },
      );
    }
    case 'deploy': {
      const d = deployProduction(registry, name, repository);
      return `${d.changed ? 'deployed' : 'already deployed:'} model ${name} version ${d.version} to ${d.dir}`;
    }
    case 'rollback': {
      const d = rollback(registry, name, repository);
      return `rolled model ${name} back from version ${d.from} to version ${d.version}; ${d.dir} is served`;
    }
    default:
      throw new Error(command ? `unknown command "${command}"; ${USAGE}` : USAGE);
  }
}
