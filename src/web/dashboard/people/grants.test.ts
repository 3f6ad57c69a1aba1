import { describe, expect, it } from 'vitest';
import { ApiError } from '../api.ts';
import { draftOf, errorFor, grantOf, grantText, unplacedError } from './grants.ts';

describe('grants on the People panel', () => {
  const roles = { cashier: 'Cashier', district_manager: 'District manager' };
  const stores = { S001: 'Hamburg Mitte' };

  it('reads each grant as role @ store, district or chain', () => {
    expect(grantText({ role: 'cashier', scope: { kind: 'store', id: 'S001' } }, roles, stores)).toBe(
      'Cashier @ store S001 Hamburg Mitte',
    );
    expect(grantText({ role: 'cashier', scope: { kind: 'store', id: 'S009' } }, roles, stores)).toBe(
      'Cashier @ store S009',
    );
    expect(grantText({ role: 'district_manager', scope: { kind: 'district', id: 'NORD' } }, roles)).toBe(
      'District manager @ district NORD',
    );
    expect(grantText({ role: 'auditor', scope: { kind: 'chain' } }, roles)).toBe('auditor @ chain');
  });

  it('turns form rows into grants and back, dropping the id of a chain grant', () => {
    expect(grantOf({ role: 'cashier', kind: 'store', id: ' S001 ' })).toEqual({
      role: 'cashier',
      scope: { kind: 'store', id: 'S001' },
    });
    expect(grantOf({ role: 'hq_admin', kind: 'chain', id: 'S001' })).toEqual({
      role: 'hq_admin',
      scope: { kind: 'chain' },
    });
    expect(draftOf({ role: 'x', scope: { kind: 'district', id: 'NORD' } })).toEqual({
      role: 'x',
      kind: 'district',
      id: 'NORD',
    });
  });

  it('shows an API error next to the field it names, else at the foot of the form', () => {
    const onGrant = new ApiError(403, 'forbidden', 'granting cashier needs sell', 'grants.0');
    expect(errorFor(onGrant, 'grants')).toBe(onGrant);
    expect(errorFor(onGrant, 'password')).toBeUndefined();
    expect(errorFor(new ApiError(400, 'invalid', 'x', 'grantsX'), 'grants')).toBeUndefined();
    expect(unplacedError(onGrant, ['username', 'grants'])).toBeUndefined();
    const general = new ApiError(0, 'unreachable', 'HQ does not answer');
    expect(unplacedError(general, ['username'])).toBe(general);
  });
});
