import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { saleEvent } from '../../../test/fixtures/ingest.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { storesWithTill } from '../../../test/helpers/stores.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { enrollTerminal } from '../../access/terminals.ts';
import { appendToHqLog, hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { ingestBatch, rebuildProjections } from '../../sync/hq/index.ts';
import type { Ledger } from '../../sync/index.ts';
import { createCustomers } from '../customers.ts';
import { unsentCustomerKeys } from '../till/key-sync.ts';
import {
  applyPoints,
  campaignList,
  changeConsentAtHq,
  customerForTill,
  customerProfile,
  findCustomerIds,
  listCustomerProfiles,
  mergeCustomers,
  storeCustomerKey,
  unmergeCustomers,
} from './index.ts';

const tempDir = tempDirs('customer-merge');
const NOW = new Date('2026-03-02T10:00:00Z');

describe.each(hqBackends())('merging customer profiles at HQ on $name', ({ open }) => {
  const h = useHqDb(open);

  async function till(storeId: string, terminalId: string) {
    const { ledger } = openTestLedger(join(tempDir(), `${terminalId}.db`), { storeId, terminalId });
    const auth = await enrollTerminal(h.db, { storeId, terminalId });
    let sent = 0;
    return {
      ledger,
      customers: createCustomers(ledger),
      async send() {
        const events = ledger.range(sent + 1, 1000);
        const r = await ingestBatch(h.db, hqEventRegistry, auth, { terminalId, events }, { now: NOW });
        expect(r.rejected ?? []).toEqual([]);
        sent = ledger.lastSeq();
        for (const k of unsentCustomerKeys(ledger.db))
          await storeCustomerKey(h.db, k.customerId, k.key, terminalId);
      },
    };
  }

  const sell = (ledger: Ledger, customerId: string, seq: number, unitPriceMinor: number) => {
    const s = saleEvent({ storeId: ledger.storeId, terminalId: ledger.terminalId }, seq, [
      { sku: 'TEA', qty: 1, unitPriceMinor, taxRateBp: 700 },
    ]);
    ledger.append('sale.completed', { ...s.payload, customerId });
  };

  const balance = async (customerId: string) => {
    const { rows } = await sql<{ b: string }>`
      SELECT balance_points AS b FROM loyalty_accounts WHERE customer_id = ${customerId}`.execute(h.db);
    return Number(rows[0]?.b ?? 0);
  };

  /** Ana registered at two stores: once by phone (opted in to email), once by email (opted out). */
  async function anaTwice() {
    await storesWithTill(h.db, ['S001', 'S002']);
    const a = await till('S001', 'S001-T09');
    const b = await till('S002', 'S002-T09');
    const first = a.customers.create({
      phone: '+41 79 123 45 67',
      name: 'Ana Lima',
      consents: { marketing_email: true, marketing_sms: true },
    });
    const second = b.customers.create({
      email: 'ana.lima@example.org',
      name: 'Ana Lima',
      consents: { marketing_email: false, marketing_sms: true },
    });
    sell(a.ledger, first.customerId, 1, 1000);
    sell(b.ledger, second.customerId, 1, 2500);
    await a.send();
    await b.send();
    await applyPoints(
      h.db,
      { key: 'gift-a', customerId: first.customerId, kind: 'adjust', points: 100 },
      false,
    );
    await applyPoints(
      h.db,
      { key: 'gift-b', customerId: second.customerId, kind: 'adjust', points: 40 },
      false,
    );
    return { a, b, survivor: first.customerId, merged: second.customerId };
  }

  it('a merge moves history, consents and points to the survivor and answers by either id or identifier; an unmerge restores both; a rebuild gives the same', async () => {
    const { survivor, merged } = await anaTwice();
    const before = {
      s: await customerProfile(h.db, survivor, { withPersonal: true }),
      m: await customerProfile(h.db, merged, { withPersonal: true }),
    };
    expect(before.s?.purchaseCount).toBe(1);
    // Only the phone record can take an SMS; neither record is on the email list (no email, opted out).
    expect((await campaignList(h.db, 'marketing_sms')).map((c) => c.customerId)).toEqual([survivor]);
    expect(await campaignList(h.db, 'marketing_email')).toEqual([]);

    const e = await mergeCustomers(
      h.db,
      appendToHqLog,
      { survivorId: survivor, mergedId: merged, reason: 'same person', actor: 'admin' },
      NOW,
    );
    expect(e.type).toBe('customer.merged');
    const person = await customerProfile(h.db, merged, { withPersonal: true });
    expect(person).toMatchObject({
      customerId: survivor,
      mergedIds: [merged],
      purchaseCount: 2,
      spendMinor: before.s!.spendMinor + before.m!.spendMinor,
      storesVisited: ['S001', 'S002'],
      // She opted out of email on one record: she stays opted out.
      consents: { marketing_email: false, marketing_sms: true, analytics: false },
      personal: { phone: '+41791234567', email: 'ana.lima@example.org', name: 'Ana Lima' },
    });
    expect(await customerProfile(h.db, survivor, { withPersonal: true })).toEqual(person);
    expect(await findCustomerIds(h.db, 'email', 'ana.lima@example.org')).toEqual([survivor]);
    expect((await customerForTill(h.db, 'email', 'ana.lima@example.org'))?.customerId).toBe(survivor);
    expect([await balance(survivor), await balance(merged)]).toEqual([140, 0]);
    expect((await listCustomerProfiles(h.db, { limit: 10, offset: 0, withPersonal: false })).total).toBe(1);
    expect((await campaignList(h.db, 'marketing_sms')).map((c) => c.customerId)).toEqual([survivor]);
    expect(await campaignList(h.db, 'marketing_email')).toEqual([]);

    await rebuildProjections(h.db, hqEventRegistry);
    expect(await customerProfile(h.db, merged, { withPersonal: true })).toEqual(person);
    expect([await balance(survivor), await balance(merged)]).toEqual([140, 0]);

    await unmergeCustomers(
      h.db,
      appendToHqLog,
      { survivorId: survivor, mergedId: merged, reason: 'two people after all' },
      NOW,
    );
    const restore = async () => {
      expect(await customerProfile(h.db, survivor, { withPersonal: true })).toEqual(before.s);
      expect(await customerProfile(h.db, merged, { withPersonal: true })).toEqual(before.m);
      expect(await findCustomerIds(h.db, 'email', 'ana.lima@example.org')).toEqual([merged]);
      expect([await balance(survivor), await balance(merged)]).toEqual([100, 40]);
    };
    await restore();
    await rebuildProjections(h.db, hqEventRegistry);
    await restore();
  });

  it('refuses a self-merge, an unknown id, a merge already made, a cycle and an unmerge not in force, naming the field', async () => {
    const { survivor, merged } = await anaTwice();
    const go = (survivorId: string, mergedId: string) =>
      mergeCustomers(h.db, appendToHqLog, { survivorId, mergedId, reason: 'r' }, NOW);
    await expect(go(survivor, survivor)).rejects.toMatchObject({ field: 'mergedId' });
    await expect(go(survivor, '01900000-0000-7000-8000-0000000000ff')).rejects.toMatchObject({
      field: 'mergedId',
    });
    await expect(go('01900000-0000-7000-8000-0000000000ff', merged)).rejects.toMatchObject({
      field: 'survivorId',
    });
    await go(survivor, merged);
    await expect(go(survivor, merged)).rejects.toMatchObject({ field: 'mergedId' });
    await expect(go(merged, survivor)).rejects.toMatchObject({ field: 'survivorId' });
    await expect(
      unmergeCustomers(h.db, appendToHqLog, { survivorId: merged, mergedId: survivor, reason: 'r' }, NOW),
    ).rejects.toMatchObject({ field: 'mergedId' });
    // A consent changed at HQ through the merged id still reaches the person.
    await changeConsentAtHq(h.db, appendToHqLog, {
      customerId: merged,
      purpose: 'marketing_sms',
      granted: false,
      actor: 'admin',
    });
    expect((await customerProfile(h.db, survivor, { withPersonal: false }))?.consents.marketing_sms).toBe(
      false,
    );
  });
});
