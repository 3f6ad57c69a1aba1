import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends } from '../../test/helpers/hq-db.ts';
import { hqEventRegistry } from '../apps/shared/event-registry.ts';
import { isTallyError } from '../core/errors.ts';
import type { OpenHqDb } from '../db/hq-db.ts';
import { seedDemoChain } from '../demo/seed.ts';
import {
  adminPrincipal,
  assertCanApprove,
  resolvePrincipal,
  scopeStores,
  userPrincipal,
} from './principal.ts';
import { createSession, endSession, resolveSession, SESSION_TTL_MS } from './sessions.ts';
import { addUser, checkPassword, hashPassword, loadUser, upsertDistrict, verifyPassword } from './users.ts';

const errorOf = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (isTallyError(e)) return { code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected an error');
};

describe('passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text')).toBe(false);
  });
});

describe('scope rules', () => {
  const sam = userPrincipal({ username: 'sam', displayName: 'Sam', role: 'store_manager', stores: ['S001'] });
  const ana = userPrincipal({ username: 'ana', displayName: 'Ana', role: 'associate', stores: ['S001'] });
  it('narrows to the store asked for, refuses one outside, and covers the scope when none is asked', async () => {
    expect(scopeStores(sam, 'S001')).toEqual(['S001']);
    expect(scopeStores(sam)).toEqual(['S001']);
    expect(scopeStores(adminPrincipal)).toBe('all');
    expect(await errorOf(() => scopeStores(sam, 'S002'))).toEqual({ code: 'forbidden', field: 'store' });
  });
  it('lets store managers and above decide on orders, not associates', async () => {
    expect(() => assertCanApprove(sam)).not.toThrow();
    expect(await errorOf(() => assertCanApprove(ana))).toEqual({ code: 'forbidden', field: 'role' });
  });
});

describe.each(hqBackends())('users and sessions on $name', ({ open }) => {
  let h: OpenHqDb;
  beforeAll(async () => {
    h = await open();
    await seedDemoChain(h.db, hqEventRegistry, { stores: 3, products: 5 });
    await upsertDistrict(h.db, { id: 'N', name: 'Nord', stores: ['S001', 'S002'] });
    await addUser(h.db, {
      username: 'Dana',
      displayName: 'Dana',
      role: 'district_manager',
      password: 'password-1',
      districtId: 'N',
    });
    await addUser(h.db, {
      username: 'sam',
      displayName: 'Sam',
      role: 'store_manager',
      password: 'password-2',
      stores: ['S003'],
    });
  }, 120_000);
  afterAll(async () => h?.close());

  it("gives a district manager their district's stores and a store manager theirs", async () => {
    expect((await loadUser(h.db, 'dana'))?.stores).toEqual(['S001', 'S002']);
    expect((await loadUser(h.db, 'sam'))?.stores).toEqual(['S003']);
    expect((await checkPassword(h.db, 'DANA', 'password-1'))?.username).toBe('dana');
    expect(await checkPassword(h.db, 'dana', 'password-2')).toBeUndefined();
  });

  it('refuses users who would see nothing, unknown stores and a second user of the same name', async () => {
    const base = { displayName: 'X', password: 'long-enough' };
    expect(await errorOf(addUser(h.db, { ...base, username: 'x1', role: 'store_manager' }))).toEqual({
      code: 'validation',
      field: 'stores',
    });
    expect(
      await errorOf(addUser(h.db, { ...base, username: 'x2', role: 'associate', stores: ['S999'] })),
    ).toEqual({ code: 'not_found', field: 'stores' });
    expect(await errorOf(addUser(h.db, { ...base, username: 'sam', role: 'admin' }))).toEqual({
      code: 'conflict',
      field: 'username',
    });
  });

  it('a session lasts 12 hours from its last use, and ends on sign-out', async () => {
    const t0 = new Date('2026-03-04T08:00:00Z');
    const token = await createSession(h.db, 'sam', t0);
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect((await resolveSession(h.db, token, at(SESSION_TTL_MS - 1000)))?.username).toBe('sam');
    // Used just before it expired, so it now lasts 12 hours from then.
    expect((await resolveSession(h.db, token, at(2 * SESSION_TTL_MS - 2000)))?.username).toBe('sam');
    expect(await resolveSession(h.db, token, at(3 * SESSION_TTL_MS))).toBeUndefined();
    const other = await createSession(h.db, 'sam');
    expect(await resolvePrincipal(h.db, { headers: {}, cookies: { tally_session: other } })).toMatchObject({
      kind: 'user',
      actor: 'sam',
      stores: ['S003'],
    });
    await endSession(h.db, other);
    expect(await resolveSession(h.db, other)).toBeUndefined();
    expect(await resolveSession(h.db, 'made-up-token')).toBeUndefined();
  });
});
