import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { type RunningTerminal, startTerminal } from '../../src/apps/terminal/start.ts';
import type { EventEnvelope } from '../../src/core/event.ts';
import { newId } from '../../src/core/ids.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { encodeBatch } from '../../src/sync/till/wire-codec.ts';
import { tillEvent } from '../fixtures/ingest.ts';
import { fetchJson } from '../helpers/calls.ts';
import {
  logCapture,
  scanHqDatabase,
  scanLogLines,
  scanNatsStream,
  scanSqliteFile,
  scanText,
} from '../helpers/card-data-scan.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { freePort } from '../helpers/processes.ts';
import { addHqCashier, signInAt } from '../helpers/till-session.ts';

/**
 * Defect 7's class test: "no card number is ever stored". After card sales and a card refund at a real
 * till, and a till that sends card numbers, track data and CVVs in every shape it can think of, nothing
 * in HQ's database (every table), the till's ledger.db and catalog.db, the logs of both, or the NATS
 * stream (when TALLY_TEST_NATS_URL is set) holds a card number or a card verification value.
 */
vi.setConfig({ testTimeout: 180_000 });

const PAN = '4111111111111111';
const natsUrl = process.env.TALLY_TEST_NATS_URL;

async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

const cleanup = cleanupsAfterEach();

/** The signed-in cashier's headers, set once the till is up. */
let cashier: Record<string, string> = {};
const call = <T>(base: string, method: string, path: string, body?: unknown): Promise<T> =>
  fetchJson<T>(base, method, path, body, cashier);

/** Events a compromised or buggy till could send: card data in known and unknown event types. */
function hostileEvents(terminalId: string, storeId: string): EventEnvelope[] {
  const at = new Date();
  const base = (seq: number, type: string, payload: Record<string, unknown>): EventEnvelope =>
    tillEvent({ storeId, terminalId }, seq, type, payload, at.toISOString());
  const shift = '0195a000-0000-7000-8000-000000000009';
  return [
    base(1, 'shift.opened', {
      shiftId: shift,
      cashierId: 'eve',
      openingFloatMinor: 0,
      currency: 'EUR',
      pan: PAN,
    }),
    base(2, 'drawer.paid_out', {
      shiftId: shift,
      cashierId: 'eve',
      amountMinor: 100,
      reason: `refund to card ${PAN.replace(/(\d{4})/g, '$1 ').trim()}`,
    }),
    base(3, 'drawer.no_sale', {
      shiftId: shift,
      cashierId: 'eve',
      reason: 'swipe',
      track2: `;${PAN}=25121010000000000000?`,
    }),
    base(4, 'customer.created', {
      customerId: newId(),
      marketingConsent: false,
      consentAt: at.toISOString(),
      cvv: '123',
      card: { number: PAN, expiry: '12/29' },
    }),
    base(5, 'loyalty.card_swiped', { cardNumber: '5555-5555-5555-4444', cvc: '999' }),
    base(6, 'loyalty.points_earned', { memo: `paid with 378282246310005`, points: 4_111_111_111_111_111 }),
  ];
}

describe('no card number is ever stored', () => {
  it('after card sales, a card refund and a till sending card data, no table, ledger, log or stream holds one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tally-card-scan-'));
    const hqLog = logCapture();
    const tillLog = logCapture();
    const stream = `CARDSCAN_${process.pid}_${Date.now()}`;
    const hq: RunningHq = await startHq({
      port: await freePort(),
      logger: pino({ level: 'debug' }, hqLog),
      dataDir: join(root, 'hq'),
      ...(natsUrl
        ? { nats: { url: natsUrl, stream, subjectPrefix: stream.toLowerCase(), durable: stream } }
        : {}),
      forecastNightly: 'off',
    });
    cleanup(async () => {
      await hq.close();
      if (natsUrl) await deleteStream(natsUrl, stream);
      rmSync(root, { recursive: true, force: true });
    });
    await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 20 });
    await addHqCashier(hq.db, 'S001');
    const front = await enrollTerminal(hq.db, { storeId: 'S001' });
    const rogue = await enrollTerminal(hq.db, { storeId: 'S001' });

    const tillDir = join(root, 'till');
    const till: RunningTerminal = await startTerminal({
      dataDir: tillDir,
      hqUrl: hq.url,
      token: front.token,
      storeId: 'S001',
      terminalId: front.terminalId,
      port: 0,
      logger: pino({ level: 'debug' }, tillLog),
      syncIntervalMs: 60_000,
    });
    const forgetTillClose = cleanup(() => till.close());
    expect(await till.pullCatalog()).toBe(true);
    const sku = (
      await hq.db.selectFrom('products').select('sku').orderBy('sku').limit(1).executeTakeFirstOrThrow()
    ).sku;

    // Card sales, a split tender and a card refund, through the register API as the screen does.
    cashier = await signInAt(till.url);
    await call(till.url, 'POST', '/api/v1/shifts', { openingFloatMinor: 10_000 });
    const sold: { saleId: string; receiptNo: string }[] = [];
    for (const tenders of [
      (due: number) => [{ kind: 'card', amountMinor: due }],
      (due: number) => [
        { kind: 'card', amountMinor: Math.floor(due / 2) },
        { kind: 'cash', tenderedMinor: due },
      ],
    ]) {
      const cart = await call<{ cartId: string }>(till.url, 'POST', '/api/v1/carts', {});
      const view = await call<{ totals: { grossMinor: number } }>(
        till.url,
        'POST',
        `/api/v1/carts/${cart.cartId}/lines`,
        { code: sku, qty: 2 },
      );
      sold.push(
        await call(till.url, 'POST', `/api/v1/carts/${cart.cartId}/complete`, {
          tenders: tenders(view.totals.grossMinor),
        }),
      );
    }
    await call(till.url, 'POST', '/api/v1/returns', {
      saleId: sold[0]!.saleId,
      lines: [{ lineNo: 1, qty: 1 }],
      refundTo: 'original',
      reason: 'did not fit',
    });
    const status = await till.outbox.flush();
    expect(status).toMatchObject({ pending: 0 });

    // A till that sends card data: each event on its own, so each is judged on its own.
    for (const e of hostileEvents(rogue.terminalId, 'S001')) {
      const res = await fetch(`${hq.url}/api/v1/ingest`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          authorization: `Bearer ${rogue.token}`,
        },
        body: encodeBatch({ terminalId: rogue.terminalId, events: [e] }),
      });
      expect(res.status, e.type).not.toBe(500);
      const body = (await res.json()) as { rejected?: { kind?: string }[] };
      if (res.status === 200) expect(body.rejected, e.type).toMatchObject([{ kind: 'quarantined' }]);
    }
    const rogueEvents = await hq.db
      .selectFrom('events')
      .select('id')
      .where('terminal_id', '=', rogue.terminalId)
      .execute();
    expect(rogueEvents).toEqual([]);
    const saleCount = await hq.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('terminal_id', '=', front.terminalId)
      .where('type', 'in', ['sale.completed', 'sale.returned'])
      .executeTakeFirstOrThrow();
    expect(Number(saleCount.n)).toBe(3);

    // Everything accepted is projected (and, with NATS, published) before the stream is scanned.
    await hq.backbone.settle(120_000);
    if (natsUrl) expect((await hq.backbone.status()).published).toBeGreaterThanOrEqual(3);
    await till.close();
    forgetTillClose();
    const findings = [
      ...(await scanHqDatabase(hq.db)),
      ...scanSqliteFile(join(tillDir, 'ledger.db')),
      ...scanSqliteFile(join(tillDir, 'catalog.db')),
      ...scanLogLines(hqLog.lines, 'hq'),
      ...scanLogLines(tillLog.lines, 'till'),
      ...(natsUrl ? await scanNatsStream(natsUrl, stream) : []),
    ];
    expect(findings).toEqual([]);
    expect(hqLog.lines.length).toBeGreaterThan(0);
    expect(tillLog.lines.length).toBeGreaterThan(0);

    // The scan itself can fail: a card number planted in any table, or a CVV in a log line, is found.
    await hq.db
      .updateTable('stores')
      .set({ address: `card ${PAN}` })
      .where('id', '=', 'S001')
      .execute();
    expect(await scanHqDatabase(hq.db)).toEqual([
      expect.objectContaining({ where: expect.stringMatching(/^hq stores\.address/) }),
    ]);
    expect(scanText(JSON.stringify({ msg: 'paid', cvv: '123' }), 'log')).toHaveLength(1);
  });
});
