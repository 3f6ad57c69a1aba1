import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../contracts/index.ts';
import {
  eraseCode,
  mayEraseCustomers,
  mayMergeCustomers,
  mayViewCustomers,
  searchAsks,
  survivorOf,
} from './customerSearch.ts';
import { customerAdminText } from './customerText.ts';

const user = (permissions: SessionUser['permissions']): SessionUser => ({
  username: 'u',
  displayName: 'U',
  role: '',
  stores: 'all',
  grants: [],
  permissions,
});

describe("the Customers view's search box", () => {
  it('asks HQ for an email when there is an @, a phone and a card for digits, else part of a name', () => {
    expect(searchAsks(' ana.lima@gmail.com ')).toEqual([{ kind: 'email', value: 'ana.lima@gmail.com' }]);
    expect(searchAsks('+49 151 2345-6789')).toEqual([
      { kind: 'phone', value: '+49 151 2345-6789' },
      { kind: 'card', value: '+49 151 2345-6789' },
    ]);
    expect(searchAsks('Lima')).toEqual([{ kind: 'name', value: 'Lima' }]);
    expect(searchAsks('R2-D2')).toEqual([{ kind: 'name', value: 'R2-D2' }]);
    expect(searchAsks(' a ')).toEqual([]);
  });
});

describe('who sees what of customers', () => {
  it('shows customers only to whoever may see personal data over the whole chain, as HQ asks', () => {
    expect(mayViewCustomers(user({ view_customer_data: 'all' }))).toBe(true);
    expect(mayViewCustomers(user({ view_customer_data: ['S001'] }))).toBe(false);
    expect(mayViewCustomers(user({ view_reports: 'all' }))).toBe(false);
    const reader = user({ view_customer_data: 'all' });
    expect([mayEraseCustomers(reader), mayMergeCustomers(reader)]).toEqual([false, false]);
    const admin = user({ view_customer_data: 'all', erase_customer_data: 'all', merge_customers: 'all' });
    expect([mayEraseCustomers(admin), mayMergeCustomers(admin)]).toEqual([true, true]);
  });

  it('asks for the first 8 characters of the id before erasing, and a merge keeps the profile registered first', () => {
    expect(eraseCode('01a23d40-2279-746c-98c3-ef7a74d802a1')).toBe('01a23d40');
    const early = { customerId: 'b', registeredAt: '2026-01-01T00:00:00Z' as string | null };
    const late = { customerId: 'a', registeredAt: '2026-03-01T00:00:00Z' as string | null };
    expect(survivorOf(late, early)).toEqual([early, late]);
    expect(survivorOf({ ...late, registeredAt: null }, early)).toEqual([
      early,
      { ...late, registeredAt: null },
    ]);
  });

  it('speaks German to a German browser and English to the rest', () => {
    expect(customerAdminText('de-AT').tab).toBe('Kunden');
    expect(customerAdminText('en-US').tab).toBe('Customers');
    expect(customerAdminText('da').tab).toBe('Customers');
  });
});
