import type { SessionUser } from '../../../contracts/index.ts';

/**
 * What one search box asks HQ. HQ finds phones, emails and loyalty cards exactly (through its blind
 * index) and names by any part: an "@" is an email, a run of digits may be a phone or a card (both are
 * asked), anything else is part of a name.
 */
export interface SearchAsk {
  kind: 'phone' | 'email' | 'card' | 'name';
  value: string;
}

const PHONE_OR_CARD = /^\+?[\d\s()./-]+$/;

export function searchAsks(text: string): SearchAsk[] {
  const t = text.trim();
  if (t.length < 2) return [];
  if (t.includes('@')) return [{ kind: 'email', value: t }];
  if (PHONE_OR_CARD.test(t) && (t.match(/\d/g)?.length ?? 0) >= 4)
    return [
      { kind: 'phone', value: t },
      { kind: 'card', value: t },
    ];
  return [{ kind: 'name', value: t }];
}

/**
 * What the signed-in user may do here. HQ's customer routes ask for each permission over the whole
 * chain (a customer shops at any store), so a grant at one store is not enough; HQ decides every request
 * again, this only keeps out of sight what would be refused.
 */
export const mayViewCustomers = (user: SessionUser): boolean => user.permissions.view_customer_data === 'all';
export const mayEraseCustomers = (user: SessionUser): boolean =>
  user.permissions.erase_customer_data === 'all';
export const mayMergeCustomers = (user: SessionUser): boolean => user.permissions.merge_customers === 'all';

/** What a reviewer types to confirm an erasure: the id's first 8 characters, as the screen shows them. */
export const eraseCode = (customerId: string): string => customerId.slice(0, 8);

/** The profile a merge keeps: the one registered first (ties: the smaller id), so history reads forward. */
export function survivorOf<T extends { customerId: string; registeredAt: string | null }>(
  a: T,
  b: T,
): [survivor: T, merged: T] {
  const t = (x: T) => (x.registeredAt === null ? Number.POSITIVE_INFINITY : Date.parse(x.registeredAt));
  const aFirst = t(a) < t(b) || (t(a) === t(b) && a.customerId < b.customerId);
  return aFirst ? [a, b] : [b, a];
}
