import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { enrollTerminal } from '../../src/access/index.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { fetchJson } from '../helpers/calls.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { freePort, type RunningCli, startCli } from '../helpers/processes.ts';
import { addHqCashier, signInAt } from '../helpers/till-session.ts';

/**
 * The worst moment for a card: the processor has approved and the till dies (SIGKILL, from inside the
 * card reader simulator, through the test-only TALLY_TEST_CRASH_AFTER_CARD_APPROVAL) before the sale
 * commits. After a restart and a retry, the customer must have been charged exactly once for one
 * sale, and the charge that no sale used must be voided and on the record HQ receives.
 */
const logger = createLogger('e2e', 'silent');
const cleanup = cleanupsAfterEach();

/** The signed-in cashier's headers, set once the till is up. */
let cashier: Record<string, string> = {};
const call = <T>(base: string, method: string, path: string, body?: unknown): Promise<T> =>
  fetchJson<T>(base, method, path, body, cashier);

interface SimRecord {
  key: string;
  status: 'approved' | 'reversed' | 'declined' | 'cancelled';
  token: string;
  amountMinor: number;
}

const exited = (till: RunningCli): Promise<void> =>
  till.child.exitCode !== null || till.child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => till.child.once('exit', () => r()));

describe('a till killed between the card approval and the sale', () => {
  it('charges the card once: the orphaned approval is voided at restart and the retried sale carries the one charge', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tally-e2e-card-'));
    const hq: RunningHq = await startHq({ port: await freePort(), logger, dataDir: join(root, 'hq') });
    let till: RunningCli | undefined;
    cleanup(async () => {
      await till?.stop();
      await hq.close();
      rmSync(root, { recursive: true, force: true });
    });
    await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 10 });
    await addHqCashier(hq.db, 'S001');
    const enrolled = await enrollTerminal(hq.db, { storeId: 'S001' });
    const tillDir = join(root, 'till');
    const tillArgs = ['terminal', '--data', tillDir, '--port', String(await freePort())];
    till = await startCli(
      [
        ...tillArgs,
        ...['--hq', hq.url, '--store', 'S001', '--terminal', enrolled.terminalId, '--token', enrolled.token],
      ],
      { TALLY_TEST_CRASH_AFTER_CARD_APPROVAL: '1' },
    );
    const [barcode] = (
      await hq.db.selectFrom('barcodes').select('code').orderBy('code').limit(1).execute()
    ).map((r) => r.code);
    cashier = await signInAt(till.url);
    await call(till.url, 'POST', '/api/v1/shifts', { openingFloatMinor: 0 });
    const cart = await call<{ cartId: string }>(till.url, 'POST', '/api/v1/carts', {});
    const view = await call<{ totals: { grossMinor: number } }>(
      till.url,
      'POST',
      `/api/v1/carts/${cart.cartId}/lines`,
      { code: barcode, qty: 1 },
    );
    const tenders = [{ kind: 'card', amountMinor: view.totals.grossMinor }];

    // The till dies inside the payment: the cashier's request gets no answer at all.
    await expect(
      call(till.url, 'POST', `/api/v1/carts/${cart.cartId}/complete`, { tenders }),
    ).rejects.toThrow();
    await exited(till);
    const processor = (): SimRecord[] =>
      JSON.parse(readFileSync(join(tillDir, 'card-simulator.json'), 'utf8')) as SimRecord[];
    expect(processor().filter((r) => r.status === 'approved')).toHaveLength(1);

    // Started again without the crash hook: the open attempt is settled before the till serves.
    till = await startCli(tillArgs);
    expect(processor().filter((r) => r.status === 'approved')).toHaveLength(0);
    const sale = await call<{ saleId: string; tenders: { kind: string; token?: string }[] }>(
      till.url,
      'POST',
      `/api/v1/carts/${cart.cartId}/complete`,
      { tenders },
    );
    const charged = processor().filter((r) => r.status === 'approved');
    expect(charged).toHaveLength(1);
    expect(processor().filter((r) => r.status === 'reversed')).toHaveLength(1);

    let status = await call<{ pending: number }>(till.url, 'POST', '/api/v1/sync/flush');
    for (let i = 0; i < 20 && status.pending > 0; i++)
      status = await call<{ pending: number }>(till.url, 'POST', '/api/v1/sync/flush');
    const { rows } = await sql<{
      type: string;
      payload: { saleId?: string; tenders?: { token?: string }[] };
    }>`
      SELECT type, payload FROM events WHERE terminal_id = ${enrolled.terminalId} ORDER BY seq`.execute(
      hq.db,
    );
    const sales = rows.filter((r) => r.type === 'sale.completed');
    expect(sales.map((r) => r.payload.saleId)).toEqual([sale.saleId]);
    expect(sales[0]?.payload.tenders?.map((t) => t.token)).toEqual([charged[0]?.token]);
    expect(rows.filter((r) => r.type === 'payment.card_reversed')).toHaveLength(1);
  }, 120_000);
});
