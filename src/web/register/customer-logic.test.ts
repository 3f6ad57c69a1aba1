import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storeFormat } from '../../contracts/index.ts';
import { consentsOf, customerLabel, pointsTender, registrationField, searchKeys } from './customer-logic.ts';
import { customerText, formatPoints } from './customer-text.ts';

describe('one search field for phone, email or loyalty card', () => {
  it('reads an email as an email, digits as a phone then a card, anything else as a card', () => {
    expect(searchKeys(' Ana@Example.com ')).toEqual(['email']);
    expect(searchKeys('+49 30 1234567')).toEqual(['phone', 'cardNumber']);
    expect(searchKeys('6001 2345 6789')).toEqual(['phone', 'cardNumber']);
    expect(searchKeys('LC-000123')).toEqual(['cardNumber']);
    expect(searchKeys('   ')).toEqual([]);
  });

  it('puts the searched text in the matching registration field', () => {
    expect(registrationField('ana@example.com')).toBe('email');
    expect(registrationField('030 1234567')).toBe('phone');
    expect(registrationField('LC-000123')).toBe('cardNumber');
  });
});

describe('the customer as the screen names them', () => {
  it('shows the name, else hides most of the identifier', () => {
    expect(customerLabel({ name: 'Ana Lima', phone: '+4930123' })).toBe('Ana Lima');
    expect(customerLabel({ phone: '+49 30 1234567' })).toBe('•••• 4567');
    expect(customerLabel({ email: 'ana@example.com' })).toBe('a•••@example.com');
    expect(customerLabel({ cardNumber: 'LC000123' })).toBe('•••• 0123');
    expect(customerLabel({})).toBeUndefined();
  });

  it('reads consents per purpose, and an older till’s single marketing box as both channels', () => {
    expect(
      consentsOf({ marketingConsent: true, consents: { marketing_email: true, marketing_sms: false } }),
    ).toEqual({ marketing_email: true, marketing_sms: false, analytics: false });
    expect(consentsOf({ marketingConsent: true })).toEqual({
      marketing_email: true,
      marketing_sms: true,
      analytics: false,
    });
  });
});

describe('paying with points', () => {
  it('spends what covers the rest when the balance allows, else the whole balance', () => {
    // 100 points pay 1.00 €
    expect(pointsTender(1250, 5000, 100, 'EUR')).toEqual({ points: 1250, amountMinor: 1250 });
    expect(pointsTender(1250, 480, 100, 'EUR')).toEqual({ points: 480, amountMinor: 480 });
    expect(pointsTender(0, 480, 100, 'EUR')).toBeUndefined();
    expect(pointsTender(1250, 0, 100, 'EUR')).toBeUndefined();
    // 1 000 points pay 1 ¥: fewer than that pay nothing, so no button
    expect(pointsTender(500, 999, 1000, 'JPY')).toBeUndefined();
  });

  it('never pays more than is left nor spends more than the balance, at the till’s rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('EUR', 'JPY', 'KWD'),
        (remaining, balance, rate, currency) => {
          const t = pointsTender(remaining, balance, rate, currency);
          if (!t) return;
          const unit = currency === 'EUR' ? 100 : currency === 'JPY' ? 1 : 1000;
          expect(t.points).toBeLessThanOrEqual(balance);
          expect(t.amountMinor).toBeLessThanOrEqual(remaining);
          // what the till charges for these points (pointsValueMinor: rounded down)
          expect(t.amountMinor).toBe(Math.floor((t.points * unit) / rate));
        },
      ),
    );
  });
});

describe('the customer side speaks the store’s language', () => {
  it('is German for a German store and English otherwise, with points grouped as the store writes', () => {
    const berlin = storeFormat({ timeZone: 'Europe/Berlin' });
    const dublin = storeFormat({ timeZone: 'Europe/Dublin' });
    expect(customerText(berlin.locale).payWithPoints).toBe('Mit Punkten zahlen');
    expect(customerText(dublin.locale).payWithPoints).toBe('Pay with points');
    expect(formatPoints(12345, berlin)).toBe('12.345');
    expect(formatPoints(12345, dublin)).toBe('12,345');
  });

  it("names the customer's segment in the store's language, and one it does not know as HQ sent it", () => {
    expect(customerText('de-DE').segmentName('at risk')).toBe('Gefährdet');
    expect(customerText('de-DE').segmentName("can't lose")).toBe('Nicht verlieren');
    expect(customerText('en-GB').segmentName('at risk')).toBe('At risk');
    expect(customerText('de-DE').segmentName('vip')).toBe('vip');
  });

  it('says what each consent means in both languages', () => {
    for (const t of [customerText('en-GB'), customerText('de-DE')])
      for (const c of Object.values(t.consent)) {
        expect(c.label.length).toBeGreaterThan(0);
        expect(c.meaning.length).toBeGreaterThan(10);
      }
    expect(customerText('de-DE').consent.marketing_email.label).not.toBe(
      customerText('en-GB').consent.marketing_email.label,
    );
  });
});
