import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../test/helpers/hq-db.ts';
import { berlinStore } from '../../test/helpers/stores.ts';
import { createStore } from '../catalog/hq/stores.ts';
import { disableAdminToken, ensureAdminToken, isAdminToken } from './admin.ts';
import { authenticateTerminal, enrollTerminal } from './terminals.ts';
import { addUser } from './users.ts';

describe.each(hqBackends())('access on $name', ({ open }) => {
  const h = useHqDb(open, {
    seed: async (db) => {
      await createStore(db, berlinStore('S001', 'One'));
    },
  });

  it('enrolls a till with a token only it knows, and recognises that token', async () => {
    const t = await enrollTerminal(h.db, { storeId: 'S001' });
    expect(t).toMatchObject({ terminalId: 'S001-T01', storeId: 'S001' });
    expect(t.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await h.db
      .selectFrom('terminals')
      .select('token_hash')
      .where('id', '=', t.terminalId)
      .executeTakeFirst();
    expect(stored?.token_hash).not.toContain(t.token);
    expect(await authenticateTerminal(h.db, t.token)).toEqual({ terminalId: 'S001-T01', storeId: 'S001' });
    expect(await authenticateTerminal(h.db, `${t.token}x`)).toBeNull();
    expect((await enrollTerminal(h.db, { storeId: 'S001' })).terminalId).toBe('S001-T02');
  });

  it('refuses an unknown store, a taken terminal id and the reserved hq id', async () => {
    await expect(enrollTerminal(h.db, { storeId: 'S404' })).rejects.toMatchObject({
      status: 404,
      field: 'storeId',
    });
    await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'till-1' });
    await expect(enrollTerminal(h.db, { storeId: 'S001', terminalId: 'till-1' })).rejects.toMatchObject({
      status: 409,
    });
    await expect(enrollTerminal(h.db, { storeId: 'S001', terminalId: 'hq' })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('creates the admin token once and then only knows its hash', async () => {
    const first = await ensureAdminToken(h.db);
    expect(first.created).toBe(true);
    const second = await ensureAdminToken(h.db);
    expect(second).toMatchObject({ created: false, token: undefined });
    expect(await isAdminToken(h.db, first.token)).toBe(true);
    expect(await isAdminToken(h.db, 'guess')).toBe(false);
    await ensureAdminToken(h.db, 'chosen');
    expect(await isAdminToken(h.db, 'chosen')).toBe(true);
    expect(await isAdminToken(h.db, first.token)).toBe(false);
  });

  it('disables the admin token for good, once someone can manage users over the chain', async () => {
    const { token } = await ensureAdminToken(h.db);
    await expect(disableAdminToken(h.db)).rejects.toMatchObject({ status: 409, field: 'manage_users' });
    expect(await isAdminToken(h.db, token)).toBe(true);
    await addUser(h.db, {
      username: 'boss',
      displayName: 'Boss',
      password: 'long-enough',
      grants: [{ role: 'hq_admin', scope: { kind: 'chain' } }],
    });
    expect(await disableAdminToken(h.db)).toEqual({ disabled: true, already: false });
    expect(await isAdminToken(h.db, token)).toBe(false);
    // Not even a token given at start brings it back.
    expect(await ensureAdminToken(h.db, 'chosen-again')).toMatchObject({ disabled: true, token: undefined });
    expect(await isAdminToken(h.db, 'chosen-again')).toBe(false);
  });
});
