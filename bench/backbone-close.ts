import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { readBenchConfig } from '../src/apps/config.ts';
import { hqEventRegistry } from '../src/apps/shared/event-registry.ts';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { createLogger } from '../src/core/log.ts';
import { dropSchema, openHqDb } from '../src/db/hq-db.ts';
import { natsBackbone } from '../src/sync/hq/bus/nats.ts';
import { printTable } from './stats.ts';

const ROUNDS = 3;

/**
 * How long HQ's NATS backbone takes to close, which every HQ shutdown and every test that restarts HQ
 * pays: idle (connected, the consumer waiting for messages), with NATS unreachable since start, and
 * with NATS gone after the bus connected (the client reconnecting). Each round starts a bus and times
 * close().
 */
export async function benchBackboneClose(): Promise<Record<string, string | number>[]> {
  const { natsUrl: nats, pgUrl: pg } = readBenchConfig();
  if (!nats)
    return [{ bus: 'NATS JetStream', close: 'skipped: set TALLY_BENCH_NATS_URL or TALLY_TEST_NATS_URL' }];
  const id = randomBytes(4).toString('hex');
  const schema = pg ? `bench_close_${id}` : undefined;
  const opened = await openHqDb({
    migrations: hqMigrations,
    url: pg,
    schema,
    logger: createLogger('bench', 'silent'),
  });
  const stream = `CLOSE_${id}`;
  const rows: Record<string, string | number>[] = [];
  const proxy = await tcpProxy(nats);
  const timed = async (state: string, prepare: () => Promise<void>, url = nats): Promise<void> => {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await proxy.up();
      const bus = natsBackbone(opened.db, hqEventRegistry, { url, stream, subjectPrefix: `close.${id}` });
      await prepare();
      if (state === 'idle') await bus.settle(30_000);
      // Let the consumer's pull sit idle (or the client retry), as on a quiet HQ.
      await new Promise((r) => setTimeout(r, 3_000));
      const t0 = performance.now();
      await bus.close();
      times.push(performance.now() - t0);
    }
    rows.push({
      bus: 'NATS JetStream',
      db: pg ? 'PostgreSQL' : 'PGlite',
      'NATS when closing': state,
      'close, ms (each)': times.map((t) => Math.round(t)).join(' / '),
      'close, ms (max)': Math.round(Math.max(...times)),
    });
  };
  try {
    await timed('idle', async () => undefined);
    await timed('unreachable since start', () => proxy.down(), proxy.url);
    await timed(
      'gone after connecting',
      async () => {
        await new Promise((r) => setTimeout(r, 1_500));
        await proxy.down();
      },
      proxy.url,
    );
  } finally {
    await proxy.down();
    await opened.close();
    if (pg && schema) await dropSchema(pg, schema);
    const nc = await connect({ servers: nats });
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
  return rows;
}

/** A TCP proxy in front of NATS that can be taken down (connections cut, new ones refused). */
async function tcpProxy(
  target: string,
): Promise<{ url: string; up(): Promise<void>; down(): Promise<void> }> {
  const t = new URL(target);
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    url: `nats://127.0.0.1:${port}`,
    up: async () => {
      if (server) return;
      server = createServer((client) => {
        const upstream = tcpConnect(Number(t.port || 4222), t.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    },
    down: async () => {
      for (const s of sockets) s.destroy();
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable('Backbone close', await benchBackboneClose());
}
