import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import type { TillCustomerChange } from '../../contracts/index.ts';
import { createCustomers } from '../customers.ts';
import { cacheRemoteCustomer } from '../remote-customers.ts';
import { applyCustomerChanges, customerPullCursor } from './hq-customer-changes.ts';
import { forgetCustomers } from './key-sync.ts';

const tempDir = tempDirs('till-customer-changes');
const KEY = Buffer.alloc(32, 7).toString('base64');

/** What HQ sends for one customer: a segment and the three purposes, each changed at `at`. */
const change = (
  customerId: string,
  segment: string | null,
  at: string,
  granted: Partial<Record<string, boolean>> = {},
): TillCustomerChange => ({
  customerId,
  segment,
  consents: ['marketing_email', 'marketing_sms', 'analytics'].map((purpose) => ({
    purpose,
    granted: granted[purpose] ?? false,
    at,
  })),
});

function till() {
  const { db, ledger } = openTestLedger(join(tempDir(), 'ledger.db'));
  let now = new Date('2026-03-02T09:00:00Z');
  const customers = createCustomers(ledger, () => now);
  return { db, customers, setNow: (iso: string) => (now = new Date(iso)) };
}

describe("the till's copy of its customers' segments and consents", () => {
  it('takes the segment of each customer it holds, ignores strangers, and keeps the cursor', () => {
    const { db, customers } = till();
    const ana = customers.create({ email: 'ana@example.org' });
    const ben = customers.create({ email: 'ben@example.org' });
    expect(customerPullCursor(db)).toBeUndefined();
    const r = applyCustomerChanges(
      db,
      {
        cursor: 'abc.17',
        full: true,
        more: false,
        changes: [
          change(ana.customerId, 'at risk', '2026-03-02T09:00:00.000Z'),
          change('0190f0f0-0000-7000-8000-000000000001', 'champions', '2026-03-02T09:00:00.000Z'),
        ],
      },
      '2026-03-03T01:00:00.000Z',
    );
    expect(r).toEqual({ segments: 1, consents: 0 });
    expect(customers.byId(ana.customerId)?.segment).toBe('at risk');
    expect(customers.byId(ben.customerId)?.segment).toBeUndefined();
    expect(customerPullCursor(db)).toBe('abc.17');
    expect(db.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(2);

    // A later delta moves Ana; a whole list from scratch (HQ restored) drops what it no longer names.
    applyCustomerChanges(
      db,
      {
        cursor: 'abc.20',
        full: false,
        more: false,
        changes: [change(ana.customerId, 'lost', '2026-03-02T09:00:00.000Z')],
      },
      '2026-03-04T01:00:00.000Z',
    );
    expect(customers.byId(ana.customerId)?.segment).toBe('lost');
    applyCustomerChanges(
      db,
      { cursor: 'def.2', full: true, more: false, changes: [] },
      '2026-03-05T01:00:00.000Z',
    );
    expect(customers.byId(ana.customerId)?.segment).toBeUndefined();
  });

  it("takes a consent changed elsewhere after the till's own, and keeps a later change made here offline", () => {
    const { db, customers, setNow } = till();
    const ana = customers.create({ email: 'ana@example.org', consents: { marketing_email: true } });
    // The customer opts out at HQ at 10:00: the till takes it.
    applyCustomerChanges(
      db,
      {
        cursor: 'abc.5',
        full: false,
        more: false,
        changes: [change(ana.customerId, null, '2026-03-02T10:00:00.000Z', { marketing_email: false })],
      },
      '2026-03-02T10:01:00.000Z',
    );
    expect(customers.byId(ana.customerId)?.consents.marketing_email).toBe(false);
    expect(customers.byId(ana.customerId)?.marketingConsent).toBe(false);

    // At 11:00, offline, they opt in again at this till; HQ still answers with its 10:00 state.
    setNow('2026-03-02T11:00:00Z');
    customers.setConsent(ana.customerId, 'marketing_sms', true);
    const r = applyCustomerChanges(
      db,
      {
        cursor: 'abc.6',
        full: false,
        more: false,
        changes: [change(ana.customerId, null, '2026-03-02T10:00:00.000Z', { marketing_email: false })],
      },
      '2026-03-02T11:05:00.000Z',
    );
    expect(r.consents).toBe(0);
    expect(customers.byId(ana.customerId)?.consents).toEqual({
      marketing_email: false,
      marketing_sms: true,
      analytics: false,
    });
    expect(customers.byId(ana.customerId)?.marketingConsent).toBe(true);
    // A purpose this till does not know is ignored, not an error.
    expect(() =>
      applyCustomerChanges(
        db,
        {
          cursor: 'abc.7',
          full: false,
          more: false,
          changes: [
            {
              customerId: ana.customerId,
              segment: null,
              consents: [{ purpose: 'postal', granted: true, at: '2026-03-02T12:00:00.000Z' }],
            },
          ],
        },
        '2026-03-02T12:05:00.000Z',
      ),
    ).not.toThrow();
  });

  it('a customer looked up at HQ arrives with their segment, and HQ changes after that replace their consents', () => {
    const { db, customers } = till();
    const id = '0190f0f0-0000-7000-8000-00000000000a';
    cacheRemoteCustomer(
      db,
      {
        customerId: id,
        email: 'cleo@example.org',
        consents: { marketing_email: true, marketing_sms: false, analytics: false },
        registeredAt: '2026-01-10T08:00:00.000Z',
        key: KEY,
        segment: 'champions',
      },
      '2026-03-02T09:30:00.000Z',
    );
    expect(customers.byId(id)?.segment).toBe('champions');
    applyCustomerChanges(
      db,
      {
        cursor: 'abc.9',
        full: false,
        more: false,
        changes: [change(id, 'champions', '2026-02-01T08:00:00.000Z', { marketing_email: false })],
      },
      '2026-03-02T10:00:00.000Z',
    );
    expect(customers.byId(id)?.consents.marketing_email).toBe(false);
    // Erased at HQ: the row goes, and with it the segment.
    expect(forgetCustomers(db, [id])).toBe(1);
    expect(customers.byId(id)).toBeUndefined();
  });
});
