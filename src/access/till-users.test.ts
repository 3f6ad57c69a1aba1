import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqBackends } from '../../test/helpers/hq-db.ts';
import { berlinStore } from '../../test/helpers/stores.ts';
import { catalogSnapshot } from '../catalog/hq/snapshot.ts';
import { createStore } from '../catalog/hq/stores.ts';
import { openCatalogCache } from '../catalog/till/catalog-cache.ts';
import { isTallyError } from '../core/errors.ts';
import type { OpenHqDb } from '../db/hq-db.ts';
import { verifyPin } from './pin-hash.ts';
import { setTillPin, tillUsersForStore } from './till-users.ts';
import { addUser, upsertDistrict } from './users.ts';

describe.each(hqBackends())('till users reach their stores’ tills on $name', ({ open }) => {
  let h: OpenHqDb;
  beforeAll(async () => {
    h = await open();
    for (const s of ['S001', 'S002']) await createStore(h.db, berlinStore(s));
    await addUser(h.db, {
      username: 'cleo',
      displayName: 'Cleo',
      role: 'associate',
      password: 'password1',
      stores: ['S001'],
    });
    await addUser(h.db, {
      username: 'sam',
      displayName: 'Sam',
      role: 'store_manager',
      password: 'password1',
      stores: ['S002'],
    });
    await upsertDistrict(h.db, { id: 'east', name: 'East', stores: ['S001', 'S002'] });
    await addUser(h.db, {
      username: 'dina',
      displayName: 'Dina',
      role: 'district_manager',
      password: 'password1',
      districtId: 'east',
    });
    await addUser(h.db, {
      username: 'nopin',
      displayName: 'No PIN',
      role: 'associate',
      password: 'password1',
      stores: ['S001'],
    });
    await setTillPin(h.db, { username: 'cleo', code: '1001', pin: '2468' });
    await setTillPin(h.db, { username: 'sam', code: '1002', pin: '1357' });
    await setTillPin(h.db, { username: 'dina', code: '1003', pin: '9999' });
  }, 60_000);
  afterAll(async () => h?.close());

  it('a store’s list holds its associates and its district manager, with their till permissions and a PIN hash', async () => {
    const users = await tillUsersForStore(h.db, 'S001');
    expect(users.map((u) => [u.code, u.userId])).toEqual([
      ['1001', 'cleo'],
      ['1003', 'dina'],
    ]);
    const cleo = users[0]!;
    expect(cleo.permissions).toEqual(['sell', 'refund_with_receipt']);
    expect(users[1]!.permissions).toContain('refund_without_receipt');
    expect(verifyPin('2468', cleo.pinHash)).toBe(true);
    expect(verifyPin('2469', cleo.pinHash)).toBe(false);
    expect(JSON.stringify(users)).not.toContain('2468');
  });

  it('a taken till code or a PIN that is not 4–8 digits is refused, naming the field', async () => {
    const err = await setTillPin(h.db, { username: 'sam', code: '1001', pin: '1234' }).catch((e) => e);
    expect(isTallyError(err) && [err.code, err.field]).toEqual(['conflict', 'code']);
    const pin = await setTillPin(h.db, { username: 'sam', code: '1002', pin: '12' }).catch((e) => e);
    expect(isTallyError(pin) && pin.field).toBe('pin');
  });

  it('a till caches the users; a deactivation and a removed store arrive as the next delta', async () => {
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/tally-users-`);
    const cache = openCatalogCache(`${dir}/catalog.db`);
    try {
      const first = await catalogSnapshot(h.db, 'S001');
      cache.apply(first);
      expect(cache.tillUserByCode('1001')?.active).toBe(true);

      const quiet = await catalogSnapshot(h.db, 'S001', first.cursor);
      expect(quiet.tillUsers).toBeUndefined();

      await sql`UPDATE users SET active = false WHERE username = 'cleo'`.execute(h.db);
      const delta = await catalogSnapshot(h.db, 'S001', first.cursor);
      expect(delta.full).toBe(false);
      cache.apply(delta);
      expect(cache.tillUserByCode('1001')?.active).toBe(false);

      await upsertDistrict(h.db, { id: 'east', name: 'East', stores: ['S002'] });
      const after = await catalogSnapshot(h.db, 'S001', delta.cursor);
      cache.apply(after);
      expect(cache.tillUserByCode('1003')).toBeUndefined();
      expect(cache.tillUsers().map((u) => u.code)).toEqual(['1001']);
    } finally {
      cache.close();
    }
  });
});
