import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends } from '../../test/helpers/hq-db.ts';
import { hqEventRegistry } from '../apps/shared/event-registry.ts';
import { isTallyError } from '../core/errors.ts';
import type { OpenHqDb } from '../db/hq-db.ts';
import { seedDemoChain } from '../demo/seed.ts';
import { permissionStores } from './coverage.ts';
import { adminPrincipal, listedStores, resolvePrincipal, storesFor } from './principal.ts';
import { saveRole } from './roles.ts';
import { createSession, endSession, resolveSession, SESSION_TTL_MS } from './sessions.ts';
import { assertMayGrant, deactivateUser, setGrants } from './user-admin.ts';
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

describe('what grants come to', () => {
  const roles = new Map([
    ['cashier', ['sell' as const]],
    ['store_manager', ['sell' as const, 'approve_purchase_orders' as const, 'view_reports' as const]],
  ]);
  const districts = new Map([['N', ['S001', 'S002']]]);
  it('covers a store, a district’s stores and the chain, each permission on its own', () => {
    const p = permissionStores(
      [
        { role: 'cashier', scope: { kind: 'store', id: 'S003' } },
        { role: 'store_manager', scope: { kind: 'district', id: 'N' } },
      ],
      roles,
      districts,
    );
    expect(p).toEqual({
      sell: ['S001', 'S002', 'S003'],
      approve_purchase_orders: ['S001', 'S002'],
      view_reports: ['S001', 'S002'],
    });
    expect(permissionStores([{ role: 'cashier', scope: { kind: 'chain' } }], roles, districts)).toEqual({
      sell: 'all',
    });
  });
  it('lists the store asked for, else every store the permission covers', () => {
    expect(listedStores(adminPrincipal, 'view_reports')).toBe('all');
    expect(listedStores(adminPrincipal, 'view_reports', 'S002')).toEqual(['S002']);
    expect(storesFor(adminPrincipal, 'manage_users')).toBe('all');
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
    expect((await loadUser(h.db, 'dana'))?.grants).toEqual([
      { role: 'district_manager', scope: { kind: 'district', id: 'N' } },
    ]);
    expect((await loadUser(h.db, 'sam'))?.permissions.approve_purchase_orders).toEqual(['S003']);
    expect((await loadUser(h.db, 'sam'))?.permissions.edit_prices).toBeUndefined();
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
    expect(
      await errorOf(
        addUser(h.db, { ...base, username: 'x3', grants: [{ role: 'nobody', scope: { kind: 'chain' } }] }),
      ),
    ).toEqual({ code: 'not_found', field: 'grants.0.role' });
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

  it('a store manager grants only what they hold where they hold it, and manages no one above them', async () => {
    const sam = (await loadUser(h.db, 'sam'))?.permissions ?? {};
    // Cashier at their own store: fine. At another store, or a role with more than they hold: refused.
    await expect(
      assertMayGrant(h.db, sam, [{ role: 'cashier', scope: { kind: 'store', id: 'S003' } }]),
    ).resolves.toBeUndefined();
    expect(
      await errorOf(assertMayGrant(h.db, sam, [{ role: 'cashier', scope: { kind: 'store', id: 'S001' } }])),
    ).toEqual({ code: 'forbidden', field: 'grants.0' });
    expect(
      await errorOf(
        assertMayGrant(h.db, sam, [{ role: 'district_manager', scope: { kind: 'store', id: 'S003' } }]),
      ),
    ).toEqual({ code: 'forbidden', field: 'grants.0' });
    expect(await errorOf(deactivateUser(h.db, sam, 'dana'))).toEqual({ code: 'forbidden', field: 'user.0' });
    expect(
      await errorOf(setGrants(h.db, sam, 'sam', [{ role: 'hq_admin', scope: { kind: 'chain' } }])),
    ).toEqual({ code: 'forbidden', field: 'grants.0' });
    expect((await loadUser(h.db, 'dana'))?.username).toBe('dana');
  });

  it('never lets a role edit or a revocation remove the last person who can manage users over the chain', async () => {
    await addUser(h.db, {
      username: 'root',
      displayName: 'Root',
      password: 'password-3',
      grants: [{ role: 'hq_admin', scope: { kind: 'chain' } }],
    });
    const root = (await loadUser(h.db, 'root'))?.permissions ?? {};
    const withoutManageUsers = (await loadUser(h.db, 'root'))?.permissions;
    expect(withoutManageUsers?.manage_users).toBe('all');
    const all = Object.keys(root).filter((p) => p !== 'manage_users') as never[];
    expect(
      await errorOf(saveRole(h.db, root, 'hq_admin', { name: 'Head-office admin', permissions: all })),
    ).toEqual({
      code: 'conflict',
      field: 'manage_users',
    });
    expect(await errorOf(setGrants(h.db, root, 'root', []))).toEqual({
      code: 'conflict',
      field: 'manage_users',
    });
    expect((await loadUser(h.db, 'root'))?.permissions.manage_users).toBe('all');
    // A store manager cannot even try: they lack edit_prices over the chain.
    const sam = (await loadUser(h.db, 'sam'))?.permissions ?? {};
    expect(
      await errorOf(
        saveRole(h.db, sam, 'store_manager', { name: 'Store manager', permissions: ['edit_prices'] }),
      ),
    ).toEqual({ code: 'forbidden', field: 'permissions' });
  });
});
