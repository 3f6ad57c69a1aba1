import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sales } from '../../../test/fixtures/ingest.ts';
import { bearer, postBatch } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger } from '../../../test/helpers/hq-db.ts';
import { storesWithTill } from '../../../test/helpers/stores.ts';
import { type AuthenticatedTerminal, enrollTerminal } from '../../access/terminals.ts';
import type { IngestBatch } from '../../contracts/wire.ts';
import type { OpenHqDb } from '../../db/hq-db.ts';
import type { Backbone } from '../../sync/hq/bus/backbone.ts';
import { inProcessBackbone } from '../../sync/hq/bus/in-process.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import type { App } from '../shared/http.ts';
import { buildHqApp } from './server.ts';

/** The bounds that keep one till from stalling HQ, seen from the wire. */
const ADMIN = 'admin-secret-for-tests';

describe.each(hqBackends())('the ingest route on $name', ({ open }) => {
  let h: OpenHqDb;
  let app: App;
  let till: AuthenticatedTerminal & { token: string };
  const admin = bearer(ADMIN);
  const post = (batch: IngestBatch, token = till.token) => postBatch(app, batch, bearer(token));

  beforeEach(async () => {
    h = await open();
    till = await storesWithTill(h.db);
    app = await buildHqApp({
      db: h.db,
      logger: silentLogger,
      adminToken: ADMIN,
      ingest: { maxEventsPerBatch: 300, maxBatchBytes: 512 * 1024 },
    });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  it('a batch over the event limit is refused with 413 naming events and the limit, and nothing is stored', async () => {
    const res = await post({ terminalId: till.terminalId, events: sales(till, 1, 301) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      error: 'too_large',
      field: 'events',
      message: expect.stringMatching(/at most 300/),
    });
    expect((await post({ terminalId: till.terminalId, events: sales(till, 1, 300) })).json()).toMatchObject({
      accepted: 300,
    });
  });

  it('a batch that unpacks past the byte limit is refused with 413 naming events, however small its gzip', async () => {
    const events = sales(till, 1, 2);
    (events[0]!.payload as Record<string, unknown>).padding = 'x'.repeat(600 * 1024);
    const body = gzipSync(JSON.stringify({ terminalId: till.terminalId, events }));
    expect(body.length).toBeLessThan(10 * 1024);
    const res = await postBatch(app, body, bearer(till.token));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      error: 'too_large',
      field: 'events',
      message: expect.stringMatching(/524288 bytes/),
    });
  });

  it('a second batch from the same till while one is stored gets 429 with Retry-After; another till is served', async () => {
    // The first batch is held where it waits for its projection, so the second surely meets it.
    let entered!: () => void;
    const inFirst = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const bus = inProcessBackbone(h.db, hqEventRegistry, { logger: silentLogger, pollMs: 0 });
    let kicks = 0;
    const slowBus: Backbone = {
      kind: bus.kind,
      status: () => bus.status(),
      settle: () => bus.settle(),
      close: () => bus.close(),
      kick: async () => {
        if (kicks++ === 0) {
          entered();
          await held;
        }
        await bus.kick();
      },
    };
    await app.close();
    app = await buildHqApp({ db: h.db, logger: silentLogger, adminToken: ADMIN, backbone: slowBus });
    const other = await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-T02' });

    const first = post({ terminalId: till.terminalId, events: sales(till, 1, 3) });
    await inFirst;
    const second = await post({ terminalId: till.terminalId, events: sales(till, 4, 5) });
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toBe('1');
    expect(second.json()).toMatchObject({ error: 'busy', field: 'terminalId' });
    expect(
      (await post({ terminalId: other.terminalId, events: sales(other, 1, 2) }, other.token)).statusCode,
    ).toBe(200);
    letGo();
    expect((await first).statusCode).toBe(200);
    // Once the first is answered the till's next batch goes in.
    expect((await post({ terminalId: till.terminalId, events: sales(till, 4, 5) })).json()).toMatchObject({
      accepted: 2,
      heldUpTo: 5,
    });
  });

  it('/health answers while a full batch is being stored', async () => {
    const order: string[] = [];
    const ingest = post({ terminalId: till.terminalId, events: sales(till, 1, 300) }).then((r) => {
      order.push('ingest');
      return r;
    });
    // Asked once the batch is under way (its body parsed, its transaction begun).
    await new Promise((resolve) => setImmediate(resolve));
    const health = app.inject({ url: '/health' }).then((r) => {
      order.push('health');
      return r;
    });
    const [i, hl] = await Promise.all([ingest, health]);
    expect(hl.statusCode).toBe(200);
    expect(i.statusCode).toBe(200);
    expect(order).toEqual(['health', 'ingest']);
  });

  it('conflicts and quarantine are listed for the admin, not for a till', async () => {
    await post({ terminalId: till.terminalId, events: sales(till, 1, 2) });
    const [reused] = sales(till, 2, 2, 'SKU2');
    const [broken] = sales(till, 3, 3);
    (broken!.payload as { currency: unknown }).currency = 42;
    const r = (await post({ terminalId: till.terminalId, events: [reused!, broken!] })).json();
    expect(r.rejected.map((x: { kind: string }) => x.kind)).toEqual(['conflict', 'quarantined']);

    for (const path of ['conflicts', 'quarantine']) {
      // A till reads its own store's only.
      const asTill = await app.inject({
        url: `/api/v1/sync/${path}?store=S002`,
        headers: { authorization: `Bearer ${till.token}` },
      });
      expect(asTill.statusCode).toBe(403);
    }
    const conflicts = (await app.inject({ url: '/api/v1/sync/conflicts?store=S001', headers: admin })).json();
    expect(conflicts).toEqual([
      expect.objectContaining({ seq: 2, terminalId: 'S001-T01', held: expect.any(Object) }),
    ]);
    const quarantine = (await app.inject({ url: '/api/v1/sync/quarantine', headers: admin })).json();
    expect(quarantine).toEqual([expect.objectContaining({ seq: 3, field: 'payload.currency' })]);
    const status = (await app.inject({ url: '/api/v1/sync/stores/S001', headers: admin })).json();
    expect(status).toMatchObject({ conflicts: 1, quarantined: 1 });
  });
});
