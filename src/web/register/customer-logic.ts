import type { Customer } from '../../contracts/index.ts';
import { minorDigits } from '../../core/money.ts';

/** The lookups one search field tries, in order: an email; digits as a phone, then as a loyalty card; anything else as a card. */
export type CustomerKey = 'phone' | 'email' | 'cardNumber';

export function searchKeys(text: string): CustomerKey[] {
  const t = text.trim();
  if (!t) return [];
  if (t.includes('@')) return ['email'];
  if (/^\+?[\d\s().-]+$/.test(t)) return ['phone', 'cardNumber'];
  return ['cardNumber'];
}

/** The field a registration form puts the searched text in. */
export const registrationField = (text: string): CustomerKey => searchKeys(text)[0] ?? 'phone';

export const CONSENT_PURPOSES = ['marketing_email', 'marketing_sms', 'analytics'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** A customer's consents per purpose; a customer from an older till has only the one marketing box. */
export function consentsOf(
  c: Pick<Customer, 'consents' | 'marketingConsent'>,
): Record<ConsentPurpose, boolean> {
  const given = c.consents ?? {};
  return {
    marketing_email: given.marketing_email ?? c.marketingConsent,
    marketing_sms: given.marketing_sms ?? c.marketingConsent,
    analytics: given.analytics ?? false,
  };
}

const tail = (s: string, n: number) => s.replace(/\s+/g, '').slice(-n);

/**
 * How the screen names a customer: their name, else an identifier with most of it hidden (the screen
 * faces the queue too), else undefined.
 */
export function customerLabel(
  c: Pick<Customer, 'name' | 'phone' | 'email' | 'cardNumber'> | undefined,
): string | undefined {
  if (!c) return undefined;
  if (c.name?.trim()) return c.name.trim();
  if (c.phone) return `•••• ${tail(c.phone, 4)}`;
  if (c.email) {
    const [user = '', domain = ''] = c.email.split('@');
    return `${user.slice(0, 1)}•••@${domain}`;
  }
  if (c.cardNumber) return `•••• ${tail(c.cardNumber, 4)}`;
  return undefined;
}

/**
 * The points a points tender spends so that their value (rounded down, as the till values them)
 * never passes what is left to pay nor the balance: `points` and the `amountMinor` they pay.
 */
export function pointsTender(
  remainingMinor: number,
  balancePoints: number,
  redeemPointsPerUnit: number,
  currency: string,
): { points: number; amountMinor: number } | undefined {
  if (remainingMinor <= 0 || balancePoints <= 0 || redeemPointsPerUnit <= 0) return undefined;
  const unit = 10 ** minorDigits(currency);
  const points = Math.min(balancePoints, Math.floor((remainingMinor * redeemPointsPerUnit) / unit));
  const amountMinor = Math.floor((points * unit) / redeemPointsPerUnit);
  return points > 0 && amountMinor > 0 ? { points, amountMinor } : undefined;
}
