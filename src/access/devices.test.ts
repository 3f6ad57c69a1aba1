import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../test/helpers/hq-db.ts';
import { berlinStore } from '../../test/helpers/stores.ts';
import { createStore } from '../catalog/hq/stores.ts';
import { formatEnrollmentCode, newEnrollmentCode, normalizeEnrollmentCode } from './enrollment-code-text.ts';
import { enrollWithCode, issueEnrollmentCode } from './enrollment-codes.ts';
import { listTerminals, revokeTerminal, rotateTerminalToken } from './terminal-lifecycle.ts';
import { authenticateTerminal, enrollTerminal } from './terminals.ts';

describe('enrollment code text', () => {
  it('is four groups of four characters nobody misreads', () => {
    const code = newEnrollmentCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(newEnrollmentCode()).not.toBe(code);
  });

  it('forgives case, spaces and O/I/L typed for 0/1', () => {
    expect(normalizeEnrollmentCode(' 7k3m q9xd-2hpn-wr4t ')).toBe('7K3MQ9XD2HPNWR4T');
    expect(normalizeEnrollmentCode('O0IL-0000-0000-0000')).toBe('0011000000000000');
    expect(formatEnrollmentCode('7K3MQ9XD2HPNWR4T')).toBe('7K3M-Q9XD-2HPN-WR4T');
  });

  it('refuses text that cannot be a code, naming the field', () => {
    expect(() => normalizeEnrollmentCode('7K3M-Q9XD')).toThrow(/code: an enrollment code has 16/);
    expect(() => normalizeEnrollmentCode('7K3M-Q9XD-2HPN-WR4U')).toThrow(/code:/);
  });
});

describe.each(hqBackends())('till enrollment, revocation and rotation on $name', ({ open }) => {
  const h = useHqDb(open, {
    seed: async (db) => {
      await createStore(db, berlinStore('S001', 'One'));
    },
  });
  const t0 = new Date('2026-03-02T09:00:00Z');
  const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

  it('a code enrolls one till of its store, once', async () => {
    const issued = await issueEnrollmentCode(h.db, { storeId: 'S001', createdBy: 'admin' }, t0);
    expect(issued.expiresAt).toBe(minutes(15).toISOString());
    const typed = issued.code.toLowerCase().replaceAll('-', ' ');
    const till = await enrollWithCode(h.db, { code: typed, name: 'front' }, minutes(5));
    expect(till).toMatchObject({ terminalId: 'S001-T01', storeId: 'S001' });
    expect(await authenticateTerminal(h.db, till.token)).toEqual({ terminalId: 'S001-T01', storeId: 'S001' });
    await expect(enrollWithCode(h.db, { code: issued.code }, minutes(6))).rejects.toMatchObject({
      status: 401,
      field: 'code',
      message: expect.stringMatching(/already used .*S001-T01.*new one/),
    });
  });

  it('an expired or unknown code is refused with what to do, and enrolls nothing', async () => {
    const issued = await issueEnrollmentCode(
      h.db,
      { storeId: 'S001', createdBy: 'admin', ttlMs: 60_000 },
      t0,
    );
    await expect(enrollWithCode(h.db, { code: issued.code }, minutes(1))).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/expired at 2026-03-02T09:01:00.000Z; ask head office for a new one/),
    });
    await expect(enrollWithCode(h.db, { code: newEnrollmentCode() }, t0)).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/no such enrollment code/),
    });
    expect(await listTerminals(h.db)).toEqual([]);
  });

  it('a code for a terminal id gives that id; a refused enrollment leaves the code usable', async () => {
    const issued = await issueEnrollmentCode(
      h.db,
      { storeId: 'S001', terminalId: 'front-1', createdBy: 'admin' },
      t0,
    );
    await expect(
      issueEnrollmentCode(h.db, { storeId: 'S404', createdBy: 'admin' }, t0),
    ).rejects.toMatchObject({ status: 404, field: 'storeId' });
    // Someone took the id by the admin path meanwhile: the code's exchange fails and stays unused.
    await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'front-1' });
    await expect(enrollWithCode(h.db, { code: issued.code }, minutes(1))).rejects.toMatchObject({
      status: 409,
    });
    await h.db.deleteFrom('terminals').where('id', '=', 'front-1').execute();
    expect(await enrollWithCode(h.db, { code: issued.code }, minutes(2))).toMatchObject({
      terminalId: 'front-1',
    });
  });

  it('a revoked till is refused with the reason, and listed as revoked', async () => {
    const till = await enrollTerminal(h.db, { storeId: 'S001' });
    await revokeTerminal(
      h.db,
      { terminalId: till.terminalId, reason: 'stolen from the stock room', by: 'admin' },
      t0,
    );
    await expect(authenticateTerminal(h.db, till.token)).rejects.toMatchObject({
      status: 401,
      code: 'terminal_revoked',
      message: expect.stringMatching(/^this till was revoked at HQ: stolen from the stock room/),
    });
    expect(await listTerminals(h.db)).toEqual([
      expect.objectContaining({
        terminalId: till.terminalId,
        revoked: { at: t0.toISOString(), reason: 'stolen from the stock room', by: 'admin' },
      }),
    ]);
    await expect(
      revokeTerminal(h.db, { terminalId: till.terminalId, reason: 'again', by: 'admin' }),
    ).rejects.toMatchObject({ status: 409, message: expect.stringContaining('stolen from the stock room') });
    await expect(rotateTerminalToken(h.db, till.terminalId)).rejects.toMatchObject({ status: 404 });
    await expect(
      revokeTerminal(h.db, { terminalId: 'nope', reason: 'x', by: 'admin' }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it('rotation: the old token works until the new one is first used, then never again', async () => {
    const till = await enrollTerminal(h.db, { storeId: 'S001' });
    const rotated = await rotateTerminalToken(h.db, till.terminalId, t0);
    expect(await authenticateTerminal(h.db, till.token)).not.toBeNull();
    expect(await authenticateTerminal(h.db, rotated.token)).not.toBeNull();
    expect(await authenticateTerminal(h.db, till.token)).toBeNull();
    expect(await authenticateTerminal(h.db, rotated.token)).not.toBeNull();
    expect((await listTerminals(h.db))[0]?.tokenRotatedAt).toBe(t0.toISOString());
  });

  it('an interrupted rotation never locks the till out: asked again, only the unused token is replaced', async () => {
    const till = await enrollTerminal(h.db, { storeId: 'S001' });
    // HQ answered, the till never saved it, and asks again with the token it has.
    const lost = await rotateTerminalToken(h.db, till.terminalId);
    expect(await authenticateTerminal(h.db, till.token)).not.toBeNull();
    const kept = await rotateTerminalToken(h.db, till.terminalId);
    expect(await authenticateTerminal(h.db, lost.token)).toBeNull();
    expect(await authenticateTerminal(h.db, till.token)).not.toBeNull();
    expect(await authenticateTerminal(h.db, kept.token)).not.toBeNull();
    expect(await authenticateTerminal(h.db, till.token)).toBeNull();
  });
});
