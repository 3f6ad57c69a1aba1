import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../test/helpers/till-ledger.ts';
import { createCustomers, normalizeEmail, normalizePhone } from './customers.ts';
import { customerCreatedV2Schema } from './events.ts';
import { openPii } from './pii-crypto.ts';
import { forgetCustomers, unsentCustomerKeys } from './till/key-sync.ts';

describe('customer identity', () => {
  it('normalises phone numbers and emails so the same customer is found however they are typed', () => {
    expect(normalizePhone(' +41 (79) 123-45-67 ')).toBe('+41791234567');
    expect(normalizePhone('079 123 45 67')).toBe('0791234567');
    expect(normalizeEmail('  Ana.Lima@Example.ORG ')).toBe('ana.lima@example.org');
  });

  it('refuses what is not a phone number or an email, naming the field', () => {
    expect(() => normalizePhone('12')).toThrow(expect.objectContaining({ field: 'phone' }));
    expect(() => normalizeEmail('ana@')).toThrow(expect.objectContaining({ field: 'email' }));
  });
});

describe('customers registered at the till', () => {
  const tempDir = tempDirs('till-customers');
  const open = () => openTestLedger(join(tempDir(), 'ledger.db')).ledger;
  const ana = {
    phone: '+41 79 123 45 67',
    email: 'Ana@Example.org',
    name: 'Ana Lima',
    cardNumber: 'lc-1234 5678',
  };

  it('write no personal field in clear into the event, only sealed under a key kept beside the ledger', () => {
    const ledger = open();
    const c = createCustomers(ledger).create(ana);
    const [e] = ledger.findByPayload('customer.created', 'customerId', c.customerId);
    expect(e?.schemaVersion).toBe(2);
    const text = JSON.stringify(e);
    for (const v of ['+41791234567', 'ana@example.org', 'Ana Lima', 'LC12345678'])
      expect(text).not.toContain(v);
    const [k] = unsentCustomerKeys(ledger.db);
    expect(k?.customerId).toBe(c.customerId);
    const p = customerCreatedV2Schema.parse(e?.payload);
    expect(openPii(k!.key, c.customerId, p.pii)).toEqual({
      phone: '+41791234567',
      email: 'ana@example.org',
      name: 'Ana Lima',
      cardNumber: 'LC12345678',
    });
  });

  it('finds a customer by card number too, and keeps consent per purpose with each change an event', () => {
    const ledger = open();
    const customers = createCustomers(ledger);
    const c = customers.create({ ...ana, marketingConsent: true });
    expect(customers.find({ cardNumber: 'LC 1234-5678' })?.customerId).toBe(c.customerId);
    expect(c.consents).toEqual({ marketing_email: true, marketing_sms: true, analytics: false });
    const after = customers.setConsent(c.customerId, 'marketing_email', false);
    expect(after.consents).toEqual({ marketing_email: false, marketing_sms: true, analytics: false });
    expect(after.marketingConsent).toBe(true);
    expect(customers.setConsent(c.customerId, 'marketing_sms', false).marketingConsent).toBe(false);
    expect(ledger.findByPayload('customer.consent_changed', 'customerId', c.customerId)).toHaveLength(2);
    expect(() => customers.setConsent(c.customerId, 'postal' as 'analytics', true)).toThrow(
      expect.objectContaining({ field: 'purpose' }),
    );
  });

  it('forgets an erased customer: row, key and consents go, the sealed event stays', () => {
    const ledger = open();
    const customers = createCustomers(ledger);
    const c = customers.create(ana);
    expect(forgetCustomers(ledger.db, [c.customerId, 'someone-else'])).toBe(1);
    expect(customers.byId(c.customerId)).toBeUndefined();
    expect(unsentCustomerKeys(ledger.db)).toEqual([]);
    expect(ledger.findByPayload('customer.created', 'customerId', c.customerId)).toHaveLength(1);
  });
});

describe('phones read in the store country at the till', () => {
  const tempDir = tempDirs('till-customers-e164');

  it('registers in E.164 and still finds a customer registered before, typed as before', () => {
    const { ledger } = openTestLedger(join(tempDir(), 'ledger.db'));
    // Before the change: no store country, a national number kept as its digits.
    const before = createCustomers(ledger).create({ phone: '079 123 45 67', name: 'Old Otto' });
    const zurich = createCustomers(
      ledger,
      () => new Date(),
      undefined,
      () => 'de-CH',
    );
    expect(zurich.find({ phone: '079 123 45 67' })?.customerId).toBe(before.customerId);

    const ana = zurich.create({ phone: '078 765 43 21', name: 'Ana' });
    expect(ana.phone).toBe('+41787654321');
    for (const typed of ['078 765 43 21', '+41 78 765 43 21', '0041787654321'])
      expect(zurich.find({ phone: typed })?.customerId).toBe(ana.customerId);
    // The same number cannot be registered twice however it is typed.
    expect(() => zurich.create({ phone: '+41 78 765 43 21' })).toThrow(
      expect.objectContaining({ field: 'phone' }),
    );
    expect(() => zurich.create({ phone: '012 345 67 89' })).toThrow(
      expect.objectContaining({ field: 'phone' }),
    );
  });
});
