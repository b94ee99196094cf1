/**
 * Run: pnpm --filter @mle/portfolio preview [-- --port 4173] [-- --dir DIR]
 * Serves the built site (apps/portfolio/dist) on loopback, as a static host would.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveSite } from './serve.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    port: { type: 'string', default: '4173' },
    dir: { type: 'string', default: fileURLToPath(new URL('../dist', import.meta.url)) },
  },
});
const server = await serveSite(values.dir!, Number(values.port));
console.log(`serving ${values.dir} at ${server.url}`);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
