import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { returnEvent, saleEvent } from '../../../test/fixtures/ingest.ts';
import { personalDataAtHq, personalDataInSqlite } from '../../../test/helpers/customer-data-scan.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { storesWithTill } from '../../../test/helpers/stores.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import type { AuthenticatedTerminal } from '../../access/index.ts';
import { enrollTerminal } from '../../access/terminals.ts';
import { appendToHqLog, hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { ingestBatch, rebuildProjections, verifyHqChains } from '../../sync/hq/index.ts';
import type { Ledger } from '../../sync/index.ts';
import { verifyLedger } from '../../sync/till/index.ts';
import { createCustomers } from '../customers.ts';
import { forgetCustomers, unsentCustomerKeys } from '../till/key-sync.ts';
import { eraseAtTill } from '../till/till-erasure.ts';
import {
  applyPoints,
  campaignList,
  changeConsentAtHq,
  customerProfile,
  eraseCustomer,
  erasedCustomerIds,
  findCustomerIds,
  mergeCustomers,
  storeCustomerKey,
  subjectAccessExport,
} from './index.ts';

const tempDir = tempDirs('customers-hq');
const NOW = new Date('2026-03-02T10:00:00Z');
const ANA = {
  phone: '+41 79 123 45 67',
  email: 'Ana.Lima@Example.org',
  name: 'Ana Lima',
  cardNumber: 'LC-778899',
};
const ANA_VALUES = ['+41791234567', 'ana.lima@example.org', 'Ana Lima', 'LC778899'];

describe.each(hqBackends())('customers across the chain at HQ on $name', ({ open }) => {
  const h = useHqDb(open);

  async function till(
    storeId: string,
    terminalId: string,
  ): Promise<{ ledger: Ledger; file: string; auth: AuthenticatedTerminal; send: () => Promise<void> }> {
    const file = join(tempDir(), `${terminalId}.db`);
    const { ledger } = openTestLedger(file, { storeId, terminalId });
    const auth: AuthenticatedTerminal = await enrollTerminal(h.db, { storeId, terminalId });
    let sent = 0;
    return {
      ledger,
      file,
      auth,
      async send() {
        const events = ledger.range(sent + 1, 1000);
        const r = await ingestBatch(h.db, hqEventRegistry, auth, { terminalId, events }, { now: NOW });
        expect(r.rejected ?? []).toEqual([]);
        sent = ledger.lastSeq();
        ledger.markAcked(r.heldUpTo);
      },
    };
  }

  async function sendKeys(ledger: Ledger): Promise<void> {
    for (const k of unsentCustomerKeys(ledger.db))
      await storeCustomerKey(h.db, k.customerId, k.key, ledger.terminalId);
  }

  it('fills in the profile when the key arrives after the event, finds it by phone, email and card, and replays to the same profile', async () => {
    await storesWithTill(h.db, ['S001']);
    const a = await till('S001', 'S001-T09');
    const ana = createCustomers(a.ledger).create({ ...ANA, consents: { marketing_email: true } });
    await a.send();
    const sealed = await customerProfile(h.db, ana.customerId, { withPersonal: true });
    expect(sealed?.personalFieldsReadable).toBe(false);
    expect(sealed?.personal).toEqual({ phone: null, email: null, name: null, cardNumber: null });
    expect(await findCustomerIds(h.db, 'phone', ANA.phone)).toEqual([]);

    await sendKeys(a.ledger);
    const opened = await customerProfile(h.db, ana.customerId, { withPersonal: true });
    expect(opened?.personal).toEqual({
      phone: '+41791234567',
      email: 'ana.lima@example.org',
      name: 'Ana Lima',
      cardNumber: 'LC778899',
    });
    expect(opened?.consents).toEqual({ marketing_email: true, marketing_sms: false, analytics: false });
    expect(await findCustomerIds(h.db, 'phone', '+41791234567')).toEqual([ana.customerId]);
    expect(await findCustomerIds(h.db, 'email', ' ANA.LIMA@example.org')).toEqual([ana.customerId]);
    expect(await findCustomerIds(h.db, 'card', 'lc 778899')).toEqual([ana.customerId]);

    await rebuildProjections(h.db, hqEventRegistry);
    expect(await customerProfile(h.db, ana.customerId, { withPersonal: true })).toEqual(opened);
  });

  it('keeps every consent change with where and by whom, and the latest by its own time decides', async () => {
    await storesWithTill(h.db, ['S001']);
    const a = await till('S001', 'S001-T09');
    const customers = createCustomers(a.ledger, () => new Date('2026-03-02T09:00:00Z'));
    const ana = customers.create({ ...ANA, marketingConsent: true });
    customers.setConsent(ana.customerId, 'marketing_sms', false);
    await a.send();
    await sendKeys(a.ledger);
    await changeConsentAtHq(
      h.db,
      appendToHqLog,
      { customerId: ana.customerId, purpose: 'marketing_email', granted: false, actor: 'admin' },
      new Date('2026-03-02T09:30:00Z'),
    );
    const p = await customerProfile(h.db, ana.customerId, { withPersonal: false });
    expect(p?.consents).toEqual({ marketing_email: false, marketing_sms: false, analytics: false });
    expect(p?.consentHistory?.map((c) => [c.purpose, c.granted, c.channel])).toEqual([
      ['marketing_sms', false, 'till'],
      ['marketing_email', false, 'hq'],
    ]);
    expect(p?.personal).toBeUndefined();
  });

  it('erases a customer: every place is reported, and no personal field is readable at HQ or at the till', async () => {
    await storesWithTill(h.db, ['S001']);
    const a = await till('S001', 'S001-T09');
    const ana = createCustomers(a.ledger).create({ ...ANA, consents: { marketing_email: true } });
    // She buys two items and brings one back: the sale names her, the return names the sale.
    const sale = saleEvent({ storeId: 'S001', terminalId: 'S001-T09' }, 1, [
      { sku: 'TEA', qty: 2, unitPriceMinor: 450, taxRateBp: 700 },
    ]);
    const sold = a.ledger.append('sale.completed', { ...sale.payload, customerId: ana.customerId });
    a.ledger.append('sale.returned', returnEvent({ ...sale, payload: sold.payload }, 2, 1, 1).payload);
    await a.send();
    await sendKeys(a.ledger);
    const before = await customerProfile(h.db, ana.customerId, { withPersonal: false });
    expect(before).toMatchObject({
      purchaseCount: 1,
      spendMinor: 900,
      returnCount: 1,
      refundMinor: 450,
      storesVisited: ['S001'],
    });
    expect(await personalDataAtHq(h.db, ANA_VALUES)).not.toEqual([]);
    expect((await campaignList(h.db, 'marketing_email')).map((c) => c.customerId)).toEqual([ana.customerId]);
    const sar = await subjectAccessExport(h.db, ana.customerId);
    expect(sar.profile.personal?.email).toBe('ana.lima@example.org');
    expect(sar.events.map((e) => e.type)).toEqual(['customer.created', 'sale.completed', 'sale.returned']);
    expect(sar.sales.map((x) => x.grossMinor)).toEqual([900]);
    expect(sar.returns).toHaveLength(1);

    const report = await eraseCustomer(h.db, appendToHqLog, ana.customerId);
    expect(report.places.map((p) => [p.place, p.found, p.removed])).toEqual([
      ['data key (customer_keys)', 1, 1],
      ['profile (customer_profiles)', 1, 1],
      ['purchase history (customer_sales)', 1, 1],
      ['identifier index (customer_identifiers)', 3, 3],
      ['consent history (customer_consent_history)', 0, 0],
      ['loyalty account and points (loyalty_accounts, loyalty_movements, loyalty_exceptions)', 0, 0],
      ['segment sent to tills (customer_segments)', 0, 0],
      ['event log: customer.created v2 (sealed personal fields)', 1, 0],
      ['event log: customer.created v1 (personal fields in clear)', 0, 0],
      ['event log: sales naming the customer', 1, 0],
      ['tills (cached row and key)', 1, 0],
    ]);
    expect(await personalDataAtHq(h.db, ANA_VALUES)).toEqual([]);
    expect(await campaignList(h.db, 'marketing_email')).toEqual([]);
    // A key sent again (a till that had not heard) is refused, and a rebuild does not bring her back.
    await expect(
      storeCustomerKey(h.db, ana.customerId, unsentCustomerKeys(a.ledger.db)[0]?.key ?? '', 'x'),
    ).rejects.toThrow();
    await rebuildProjections(h.db, hqEventRegistry);
    expect(await customerProfile(h.db, ana.customerId, { withPersonal: true })).toBeUndefined();
    expect(await personalDataAtHq(h.db, ANA_VALUES)).toEqual([]);
    expect((await eraseCustomer(h.db, appendToHqLog, ana.customerId)).alreadyErased).toBe(true);

    expect(personalDataInSqlite(a.file, ANA_VALUES)).not.toEqual([]);
    expect(forgetCustomers(a.ledger.db, [ana.customerId])).toBe(1);
    expect(personalDataInSqlite(a.file, ANA_VALUES)).toEqual([]);
  });

  it('redacts HQ copy of a plaintext (v1) registration on erasure, and verify-chains says redacted, not altered', async () => {
    await storesWithTill(h.db, ['S001']);
    const a = await till('S001', 'S001-T09');
    // What a till before sealing wrote: the fields in clear in the chained event.
    const old = a.ledger.append('customer.created', {
      customerId: '01900000-0000-7000-8000-0000000000c3',
      phone: '+41791112233',
      email: 'old.customer@example.org',
      name: 'Olga Old',
      marketingConsent: true,
      consentAt: '2026-03-01T09:00:00.000Z',
    });
    await a.send();
    const OLGA = ['+41791112233', 'old.customer@example.org', 'Olga Old'];
    const profile = await customerProfile(h.db, old.payload.customerId, { withPersonal: true });
    expect(profile?.personal?.name).toBe('Olga Old');
    expect(profile?.consents).toEqual({ marketing_email: true, marketing_sms: true, analytics: false });

    const report = await eraseCustomer(h.db, appendToHqLog, old.payload.customerId);
    expect(report.places.find((p) => p.place.includes('v1'))).toMatchObject({ found: 1, removed: 1 });
    expect(await personalDataAtHq(h.db, OLGA)).toEqual([]);
    const chains = await verifyHqChains(h.db);
    expect(chains.breaks).toEqual([]);
    expect(chains.redacted).toBe(1);
    // The till resending the original is still a duplicate, not a conflict.
    const again = await ingestBatch(
      h.db,
      hqEventRegistry,
      a.auth,
      { terminalId: 'S001-T09', events: [old] },
      { now: NOW },
    );
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    await rebuildProjections(h.db, hqEventRegistry);
    expect(await personalDataAtHq(h.db, OLGA)).toEqual([]);
  });
  it('erases a merged person everywhere: every profile of the group, and each till copy, plaintext ledger registrations included', async () => {
    await storesWithTill(h.db, ['S001', 'S002']);
    const a = await till('S001', 'S001-T09');
    const b = await till('S002', 'S002-T09');
    // Olga registered twice: at an old till in clear (v1), and later sealed at another store.
    const old = a.ledger.append('customer.created', {
      customerId: '01900000-0000-7000-8000-0000000000d4',
      phone: '+41791112233',
      email: 'olga.old@example.org',
      name: 'Olga Old',
      marketingConsent: true,
      consentAt: '2026-03-01T09:00:00.000Z',
    });
    const again = createCustomers(b.ledger).create({
      email: 'olga.new@example.org',
      name: 'Olga Neu',
      cardNumber: 'LC-445566',
      consents: { marketing_email: true },
    });
    createCustomers(b.ledger).setConsent(again.customerId, 'analytics', true);
    await a.send();
    await b.send();
    await sendKeys(b.ledger);
    const oldId = old.payload.customerId;
    for (const [id, points] of [
      [oldId, 120],
      [again.customerId, 30],
    ] as const)
      await applyPoints(h.db, { key: `gift-${id}`, customerId: id, kind: 'adjust', points }, false);
    await mergeCustomers(h.db, appendToHqLog, {
      survivorId: oldId,
      mergedId: again.customerId,
      reason: 'same person',
    });
    const OLGA = [
      '+41791112233',
      'olga.old@example.org',
      'Olga Old',
      'olga.new@example.org',
      'Olga Neu',
      'LC445566',
    ];
    expect(await personalDataAtHq(h.db, OLGA)).not.toEqual([]);

    // Asked for the merged-away profile: the person is erased, both profiles.
    const report = await eraseCustomer(h.db, appendToHqLog, again.customerId);
    expect(report.customerIds).toEqual([oldId, again.customerId]);
    const line = (id: string, place: string) =>
      report.places.find((p) => p.customerId === id && p.place.startsWith(place));
    expect(line(oldId, 'event log: customer.created v1')).toMatchObject({ found: 1, removed: 1 });
    expect(line(again.customerId, 'data key')).toMatchObject({ found: 1, removed: 1 });
    expect(line(again.customerId, 'identifier index')).toMatchObject({ found: 2, removed: 2 });
    expect(line(again.customerId, 'consent history')).toMatchObject({ found: 1, removed: 1 });
    expect(line(oldId, 'loyalty account')).toMatchObject({ found: 1, removed: 1 });
    expect(line(again.customerId, 'loyalty account')).toMatchObject({ found: 1, removed: 1 });
    expect(await personalDataAtHq(h.db, OLGA)).toEqual([]);
    for (const id of [oldId, again.customerId]) {
      expect(await customerProfile(h.db, id, { withPersonal: true })).toBeUndefined();
      const { rows } = await sql`SELECT 1 FROM loyalty_accounts WHERE customer_id = ${id}`.execute(h.db);
      expect(rows).toEqual([]);
    }
    await rebuildProjections(h.db, hqEventRegistry);
    expect(await personalDataAtHq(h.db, OLGA)).toEqual([]);
    expect(await customerProfile(h.db, again.customerId, { withPersonal: false })).toBeUndefined();

    // Each till hears both ids with its catalog pull: rows, keys and its own plaintext copy go.
    const erased = await erasedCustomerIds(h.db, undefined);
    expect(erased).toEqual(expect.arrayContaining([oldId, again.customerId]));
    expect(personalDataInSqlite(a.file, OLGA)).not.toEqual([]);
    expect(eraseAtTill(a.ledger.db, erased)).toMatchObject({ redacted: 1, waiting: 0 });
    expect(eraseAtTill(b.ledger.db, erased)).toMatchObject({ forgotten: 1 });
    expect(personalDataInSqlite(a.file, OLGA)).toEqual([]);
    expect(personalDataInSqlite(b.file, OLGA)).toEqual([]);
    // The till's chain still holds: the redacted event is counted, its links checked.
    expect(verifyLedger(a.ledger.db, 'S001-T09')).toMatchObject({ redacted: 1, firstBreak: undefined });
  });
});
