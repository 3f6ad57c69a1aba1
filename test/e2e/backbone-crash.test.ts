import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/terminals.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { hqMigrations } from '../../src/apps/shared/hq-migrations.ts';
import type { EventEnvelope } from '../../src/core/event.ts';
import { createLogger } from '../../src/core/log.ts';
import { dropSchema, type HqDb, openHqDb } from '../../src/db/hq-db.ts';
import { stockOnHand } from '../../src/inventory/hq/stock-projection.ts';
import { salesDaily } from '../../src/sales/hq/facts-projection.ts';
import { rebuildProjections } from '../../src/sync/hq/ingest-projections.ts';
import { encodeBatch } from '../../src/sync/till/wire-codec.ts';
import { saleEvent } from '../fixtures/ingest.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { freePort, type RunningCli, startCli } from '../helpers/processes.ts';
import { twoStoresWithStock } from '../helpers/stores.ts';

/**
 * HQ killed with SIGKILL (a power cut) while two tills send, then started again: `tally hq` in its
 * own process, on PostgreSQL (PGlite's files are not meant to survive a killed writer mid-flight), with
 * NATS JetStream when TALLY_TEST_NATS_URL is set. Events accepted but not yet projected wait in the
 * outbox and are projected after the restart; nothing is lost or counted twice.
 */
const pgUrl = process.env.TALLY_TEST_PG_URL;
const natsUrl = process.env.TALLY_TEST_NATS_URL;
const logger = createLogger('e2e', 'silent');
const buses = [{ bus: 'in-process' }, ...(natsUrl ? [{ bus: 'NATS' }] : [])];

const cleanup = cleanupsAfterEach();

const count = async (db: HqDb, table: string): Promise<number> =>
  Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n);

describe.runIf(pgUrl).each(buses)('HQ killed during ingest on PostgreSQL with the $bus bus', ({ bus }) => {
  it('projects every accepted event exactly once after the restart', async () => {
    const id = randomBytes(4).toString('hex');
    const schema = `crash_${id}`;
    const stream = `CRASH_${id}`;
    const root = mkdtempSync(join(tmpdir(), 'tally-crash-'));
    const opened = await openHqDb({ migrations: hqMigrations, url: pgUrl!, schema, logger });
    const db = opened.db;
    let hq: RunningCli | undefined;
    cleanup(async () => {
      await hq?.stop();
      await opened.close();
      await dropSchema(pgUrl!, schema);
      if (bus === 'NATS') {
        const nc = await natsConnect({ servers: natsUrl! });
        await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
        await nc.close();
      }
      rmSync(root, { recursive: true, force: true });
    });

    await twoStoresWithStock(db, { sku: 'X', qty: 1000, reason: 'opening_balance' });
    const tills = await Promise.all(['S001', 'S002'].map((storeId) => enrollTerminal(db, { storeId })));
    const made = tills.map((t) =>
      Array.from({ length: 400 }, (_, i) =>
        saleEvent(t, i + 1, [{ sku: 'X', qty: 1, unitPriceMinor: 119, taxRateBp: 700 }]),
      ),
    );

    const port = await freePort();
    const url = `${pgUrl}${pgUrl!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const args = [
      'hq',
      ...['--db', url, '--data', root, '--port', String(port)],
      ...(bus === 'NATS'
        ? ['--nats', natsUrl!, '--nats-stream', stream, '--nats-subjects', `crash.${id}`]
        : []),
    ];
    hq = await startCli(args);
    const send = async (base: string, i: number, events: EventEnvelope[]): Promise<boolean> => {
      const res = await fetch(`${base}/api/v1/ingest`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tills[i]!.token}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        },
        body: encodeBatch({ terminalId: tills[i]!.terminalId, events }),
      }).catch(() => undefined);
      return res?.ok ?? false;
    };
    const chunks = (events: EventEnvelope[], n: number) =>
      Array.from({ length: Math.ceil(events.length / n) }, (_, k) => events.slice(k * n, (k + 1) * n));

    let stop = false;
    const sending = made.map(async (events, i) => {
      for (const c of chunks(events, 20)) if (stop || !(await send(hq!.url, i, c))) return;
    });
    for (let k = 0; k < 500 && (await count(db, 'events')) < 200; k++)
      await new Promise((r) => setTimeout(r, 10));
    await hq.kill();
    stop = true;
    await Promise.all(sending);
    const before = await count(db, 'events');
    expect(before).toBeGreaterThan(2);

    hq = await startCli(args);
    for (const [i, events] of made.entries())
      for (const c of chunks(events, 100)) expect(await send(hq.url, i, c)).toBe(true);

    // Projected: the outbox is empty and every event at HQ is recorded as applied.
    const total = 2 + 800;
    for (let k = 0; k < 600; k++) {
      const done = (await count(db, 'bus_outbox')) === 0 && (await count(db, 'projected_events')) === total;
      if (done) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await count(db, 'events')).toBe(total);
    expect(await count(db, 'bus_outbox')).toBe(0);
    expect(await count(db, 'projected_events')).toBe(total);
    const live = { stock: await stockOnHand(db), sales: await salesDaily(db) };
    expect(live.stock.map((r) => r.qty)).toEqual([600, 600]);
    await rebuildProjections(db, hqEventRegistry);
    expect({ stock: await stockOnHand(db), sales: await salesDaily(db) }).toEqual(live);
  }, 240_000);
});
