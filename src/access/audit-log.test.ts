import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../test/helpers/hq-db.ts';
import { fixedClock } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import type { AuditEntryInput } from './audit-entry.ts';
import { listAudit, recordAudit, verifyAuditChain } from './audit-log.ts';

const priceChange = (n: number, over: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  actor: { kind: 'user', id: 'maria' },
  action: 'catalog.price_changed',
  target: { type: 'product', id: `SKU-${n}` },
  storeId: 'S001',
  before: { priceMinor: 100 + n },
  after: { priceMinor: 200 + n, note: 'spring list', at: new Date('2025-03-01T09:00:00Z') },
  ...over,
});

async function seed(db: HqDb, n: number): Promise<void> {
  const clock = fixedClock('2025-03-01T09:00:00Z');
  for (let i = 1; i <= n; i++) {
    await recordAudit(db, priceChange(i), clock);
    clock.advance(60_000);
  }
}

/** What someone with the database owner's rights could do behind HQ's back. */
async function tamper(db: HqDb, statements: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql.raw('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only').execute(trx);
    for (const s of statements) await sql.raw(s).execute(trx);
    await sql.raw('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only').execute(trx);
  });
}

describe.each(hqBackends())('the audit log on $name', ({ open }) => {
  const h = useHqDb(open);

  it('numbers entries 1, 2, 3 … and a verify of an untouched log passes', async () => {
    await seed(h.db, 5);
    const all = await listAudit(h.db, {});
    expect(all.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(all[4]!.prevHash).toBe('0'.repeat(64));
    expect(all[3]!.prevHash).toBe(all[4]!.hash);
    expect(all[0]!.after).toEqual({ priceMinor: 205, note: 'spring list', at: '2025-03-01T09:00:00.000Z' });
    expect(await verifyAuditChain(h.db)).toEqual({ ok: true, checked: 5, headSeq: 5 });
  });

  it('two dozen requests appending at once still make one gap-free chain', async () => {
    await Promise.all(Array.from({ length: 24 }, (_, i) => recordAudit(h.db, priceChange(i))));
    const seqs = (await listAudit(h.db, {})).map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it('concurrent transactions that each change something and audit it chain correctly, and a rolled-back one leaves no hole', async () => {
    const writes = Array.from({ length: 12 }, (_, i) =>
      h.db
        .transaction()
        .execute(async (trx) => {
          await recordAudit(trx, priceChange(i));
          if (i % 4 === 3) throw new Error('the change failed');
        })
        .catch(() => 'rolled back'),
    );
    const outcomes = await Promise.all(writes);
    expect(outcomes.filter((o) => o === 'rolled back')).toHaveLength(3);
    const entries = await listAudit(h.db, {});
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, checked: 9 });
  });

  it('a verify running while requests append passes, and the later entries verify next time', async () => {
    await seed(h.db, 6);
    const [verdict] = await Promise.all([
      verifyAuditChain(h.db, { pageSize: 2 }),
      ...Array.from({ length: 10 }, (_, i) => recordAudit(h.db, priceChange(100 + i))),
    ]);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
    expect(await verifyAuditChain(h.db)).toEqual({ ok: true, checked: 16, headSeq: 16 });
  });

  it('refuses UPDATE and DELETE through ordinary SQL', async () => {
    await seed(h.db, 2);
    await expect(sql`UPDATE audit_log SET reason = 'x' WHERE seq = 1`.execute(h.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log WHERE seq = 2`.execute(h.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });

  it('names the first altered entry when a before value is changed in the database', async () => {
    await seed(h.db, 6);
    await tamper(h.db, [
      `UPDATE audit_log SET before = '{"priceMinor": 1}' WHERE seq = 3`,
      `UPDATE audit_log SET reason = 'edited' WHERE seq = 5`,
    ]);
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: false, checked: 2, problem: { kind: 'hash_mismatch', seq: 3 } });
    expect(v.problem?.message).toMatch(/entry 3 .* was altered/);
  });

  it('an entry whose stored hash was overwritten is named', async () => {
    await seed(h.db, 4);
    await tamper(h.db, [`UPDATE audit_log SET hash = repeat('a', 64) WHERE seq = 2`]);
    expect(await verifyAuditChain(h.db)).toMatchObject({
      ok: false,
      problem: { kind: 'hash_mismatch', seq: 2 },
    });
  });

  it('names the removed entry when one in the middle is deleted', async () => {
    await seed(h.db, 6);
    await tamper(h.db, ['DELETE FROM audit_log WHERE seq = 4']);
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: false, checked: 3, problem: { kind: 'gap', seq: 4 } });
    expect(v.problem?.message).toMatch(/entry 4 is missing/);
  });

  it('notices the last entries deleted, against the chain head', async () => {
    await seed(h.db, 6);
    await tamper(h.db, ['DELETE FROM audit_log WHERE seq >= 5']);
    expect(await verifyAuditChain(h.db)).toMatchObject({
      ok: false,
      checked: 4,
      headSeq: 6,
      problem: { kind: 'gap', seq: 5 },
    });
  });

  it('names the first of two entries swapped in order', async () => {
    await seed(h.db, 6);
    await tamper(h.db, [
      'UPDATE audit_log SET seq = 999999 WHERE seq = 3',
      'UPDATE audit_log SET seq = 3 WHERE seq = 4',
      'UPDATE audit_log SET seq = 4 WHERE seq = 999999',
    ]);
    const v = await verifyAuditChain(h.db);
    expect(v).toMatchObject({ ok: false, checked: 2, problem: { kind: 'prev_hash_mismatch', seq: 3 } });
    expect(v.problem?.message).toMatch(/reordered/);
  });

  it('walks the chain across pages', async () => {
    await seed(h.db, 7);
    expect(await verifyAuditChain(h.db, { pageSize: 3 })).toEqual({ ok: true, checked: 7, headSeq: 7 });
    await tamper(h.db, [`UPDATE audit_log SET actor_id = 'someone else' WHERE seq = 7`]);
    expect(await verifyAuditChain(h.db, { pageSize: 3 })).toMatchObject({ problem: { seq: 7 } });
  });

  it('lists by user, store, action family and time window, newest first, a page at a time', async () => {
    const clock = fixedClock('2025-03-01T09:00:00Z');
    await recordAudit(h.db, priceChange(1), clock);
    clock.advance(3_600_000);
    await recordAudit(h.db, priceChange(2, { storeId: 'S002', actor: { kind: 'user', id: 'tom' } }), clock);
    clock.advance(3_600_000);
    await recordAudit(
      h.db,
      {
        actor: { kind: 'user', id: 'tom' },
        action: 'auth.sign_in_failed',
        outcome: 'refused',
        reason: 'wrong password',
      },
      clock,
    );
    const seqs = async (q: Parameters<typeof listAudit>[1]) => (await listAudit(h.db, q)).map((e) => e.seq);
    expect(await seqs({ user: 'tom' })).toEqual([3, 2]);
    expect(await seqs({ stores: ['S002'] })).toEqual([2]);
    expect(await seqs({ stores: [] })).toEqual([]);
    expect(await seqs({ action: 'catalog' })).toEqual([2, 1]);
    expect(await seqs({ action: 'cat' })).toEqual([]);
    expect(await seqs({ action: 'auth.sign_in_failed' })).toEqual([3]);
    expect(
      await seqs({ since: new Date('2025-03-01T10:00:00Z'), until: new Date('2025-03-01T11:00:00Z') }),
    ).toEqual([2]);
    expect(await seqs({ limit: 2 })).toEqual([3, 2]);
    expect(await seqs({ limit: 2, beforeSeq: 2 })).toEqual([1]);
  });
});
