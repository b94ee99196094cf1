/**
 * The tracking store's behaviour on a real PostgreSQL server: `pnpm --filter @mle/mlops test:postgres` starts one
 * (scripts/test-postgres.sh) and sets MLE_POSTGRES_URL; this file is not part of `pnpm test`.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PostgresTrackingStore } from '../src/index.js';
import { describeTrackingStore } from './tracking-contract.js';

const url = process.env.MLE_POSTGRES_URL;
if (!url)
  throw new Error(
    'MLE_POSTGRES_URL is not set: run this file through `pnpm --filter @mle/mlops test:postgres`',
  );
const schema = () => `t_${randomBytes(6).toString('hex')}`;

describeTrackingStore(
  'the PostgreSQL tracking store',
  () => PostgresTrackingStore.connect({ connectionString: url, schema: schema() }),
  async () => {
    const name = schema();
    await (await PostgresTrackingStore.connect({ connectionString: url, schema: name })).close();
    return `${url}#${name}`;
  },
);

describe('connecting to PostgreSQL', () => {
  it('names the server it could not reach, without the password, and refuses a schema name that is not one', async () => {
    await expect(
      PostgresTrackingStore.connect({ connectionString: 'postgres://mle:secret@127.0.0.1:1/x' }),
    ).rejects.toThrow(
      /cannot connect to PostgreSQL at postgres:\/\/mle:\*\*\*@127\.0\.0\.1:1\/x: .*ECONNREFUSED/,
    );
    await expect(PostgresTrackingStore.connect({ connectionString: url, schema: 'x; drop' })).rejects.toThrow(
      'schema "x; drop": lower-case letters',
    );
  });
});
