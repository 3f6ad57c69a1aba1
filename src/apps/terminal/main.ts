import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../core/index.ts';
import { SimulatedProvider } from '../../payments/index.ts';
import { cardCrashHook, readConfig } from '../config.ts';
import { startTerminal } from './start.ts';

/**
 * A till as a process, without the CLI: `npx tsx src/apps/terminal/main.ts --data-dir DIR [--hq URL
 * --token T --store S --terminal T] [--port 0]`. After the first start the identity comes from
 * DIR/terminal.json. Logs `{"msg":"listening","url":…}` once it serves; SIGTERM closes cleanly, and a
 * SIGKILL at any moment loses nothing that was acknowledged.
 */
const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    hq: { type: 'string' },
    token: { type: 'string' },
    store: { type: 'string' },
    terminal: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string' },
    'allowed-hosts': { type: 'string' },
    'sync-interval-ms': { type: 'string' },
    'card-outcome': { type: 'string' },
  },
});

const config = readConfig();
const logger = createLogger('tally-terminal', config.logLevel);
if (!values['data-dir']) {
  console.error('tally-terminal: --data-dir is required');
  process.exit(2);
}
const outcome = values['card-outcome'];
const terminal = await startTerminal({
  dataDir: values['data-dir'],
  hqUrl: values.hq,
  token: values.token,
  storeId: values.store,
  terminalId: values.terminal,
  port: Number(values.port),
  host: values.host,
  ...(values['allowed-hosts'] ? { allowedHosts: values['allowed-hosts'].split(',') } : {}),
  logger,
  provider: new SimulatedProvider({
    stateFile: join(values['data-dir'], 'card-simulator.json'),
    ...(outcome === 'decline' || outcome === 'timeout' || outcome === 'approve' ? { outcome } : {}),
    ...cardCrashHook(config),
  }),
  ...(values['sync-interval-ms'] ? { syncIntervalMs: Number(values['sync-interval-ms']) } : {}),
});

let closing = false;
const stop = (signal: string): void => {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  terminal.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
