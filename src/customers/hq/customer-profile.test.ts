import { join } from 'node:path';
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
import { createCustomers } from '../customers.ts';
import { forgetCustomers, unsentCustomerKeys } from '../till/key-sync.ts';
import {
  campaignList,
  changeConsentAtHq,
  customerProfile,
  eraseCustomer,
  findCustomerIds,
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
});
