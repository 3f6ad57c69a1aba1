import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { storesWithTill } from '../../../test/helpers/stores.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { enrollTerminal } from '../../access/terminals.ts';
import { appendToHqLog, hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { newId } from '../../core/index.ts';
import { ingestBatch, rebuildProjections } from '../../sync/hq/index.ts';
import { createCustomers } from '../customers.ts';
import { LOYALTY_EVENT_TYPES, type LoyaltySalePoints } from '../loyalty-events.ts';
import { unsentCustomerKeys } from '../till/key-sync.ts';
import {
  adjustPoints,
  authorizeBurn,
  loyaltyBalance,
  mergeCustomers,
  storeCustomerKey,
  unmergeCustomers,
} from './index.ts';

/**
 * Points and merges: a till that still holds a merged-away id earns and spends on the person's one
 * balance, and undoing a merge gives each profile back exactly what is its own, through chains of
 * merges and a rebuild.
 */
const tempDir = tempDirs('loyalty-merges');
const NOW = new Date('2026-03-02T10:00:00Z');

describe.each(hqBackends())('loyalty across merged customers on $name', ({ open }) => {
  const h = useHqDb(open);

  async function setup() {
    await storesWithTill(h.db, ['S001']);
    const terminalId = 'S001-T07';
    const { ledger } = openTestLedger(join(tempDir(), 'ledger.db'), { storeId: 'S001', terminalId });
    const auth = await enrollTerminal(h.db, { storeId: 'S001', terminalId });
    const customers = createCustomers(ledger);
    let sent = 0;
    const send = async () => {
      const events = ledger.range(sent + 1, 1000);
      if (events.length === 0) return;
      const r = await ingestBatch(h.db, hqEventRegistry, auth, { terminalId, events }, { now: NOW });
      expect(r.rejected ?? []).toEqual([]);
      sent = ledger.lastSeq();
      for (const k of unsentCustomerKeys(ledger.db))
        await storeCustomerKey(h.db, k.customerId, k.key, terminalId);
    };
    /** A sale at the till that earned `earned` points for `customerId` (the till's event, as checkout writes it). */
    const earn = (customerId: string, earned: number) =>
      ledger.append(LOYALTY_EVENT_TYPES.salePoints, {
        customerId,
        saleId: newId(),
        currency: 'EUR',
        tier: 'bronze',
        earned,
        lines: [{ lineNo: 1, qty: 1, points: earned }],
        eligibleNetMinor: earned * 10,
        burned: 0,
        burnValueMinor: 0,
        balanceAfter: earned,
      } satisfies LoyaltySalePoints);
    const [a, b, d] = ['a@example.org', 'b@example.org', 'd@example.org'].map(
      (email) => customers.create({ email }).customerId,
    ) as [string, string, string];
    await send();
    const give = (customerId: string, points: number) =>
      adjustPoints(h.db, { adjustmentId: newId(), customerId, points, reason: 'opening', actor: 'test' });
    await give(a, 100);
    await give(b, 40);
    await give(d, 7);
    return { a, b, d, earn, send, terminalId };
  }

  const points = async (id: string) => (await loyaltyBalance(h.db, id, NOW)).balancePoints;
  const merge = (survivorId: string, mergedId: string) =>
    mergeCustomers(h.db, appendToHqLog, { survivorId, mergedId, reason: 'same person' }, NOW);
  const unmerge = (survivorId: string, mergedId: string) =>
    unmergeCustomers(h.db, appendToHqLog, { survivorId, mergedId, reason: 'two people' }, NOW);

  it('a till holding the merged-away id spends and earns on the survivor’s balance; the unmerge gives each their own', async () => {
    const { a, b, earn, send, terminalId } = await setup();
    await merge(a, b);
    expect(await points(b)).toBe(140);
    // B's card at a till that cached B: HQ books the burn on the person's balance instead of declining it.
    const burn = await authorizeBurn(h.db, { authId: newId(), customerId: b, points: 120, terminalId });
    expect(burn.balancePoints).toBe(20);
    earn(b, 25);
    await send();
    expect([await points(a), await points(b)]).toEqual([45, 45]);
    await adjustPoints(h.db, {
      adjustmentId: newId(),
      customerId: a,
      points: 5,
      reason: 'goodwill',
      actor: 't',
    });

    await unmerge(a, b);
    // B brought 40, spent 120 and earned 25 under its own id: -55 is B's; A keeps its 100 and its 5.
    const apart = async () => expect([await points(a), await points(b)]).toEqual([105, -55]);
    await apart();
    await send();
    await rebuildProjections(h.db, hqEventRegistry);
    await apart();
  });

  it('merges that chain (B into A, then A into D) unmerge back to every profile’s own points, and a remerge moves them again', async () => {
    const { a, b, d, earn, send } = await setup();
    await merge(a, b);
    earn(b, 3);
    await send();
    await merge(d, a);
    expect(await points(b)).toBe(150);
    // B again, after A went into D: booked on D, the person now.
    earn(b, 11);
    await send();
    expect([await points(a), await points(b), await points(d)]).toEqual([161, 161, 161]);

    await unmerge(a, b);
    expect([await points(b), await points(d)]).toEqual([40 + 3 + 11, 107]);
    await unmerge(d, a);
    const own = async () => expect([await points(a), await points(b), await points(d)]).toEqual([100, 54, 7]);
    await own();
    await rebuildProjections(h.db, hqEventRegistry);
    await own();

    await merge(a, b);
    expect([await points(a), await points(b)]).toEqual([154, 154]);
    await unmerge(a, b);
    await own();
    await rebuildProjections(h.db, hqEventRegistry);
    await own();
  });
});
