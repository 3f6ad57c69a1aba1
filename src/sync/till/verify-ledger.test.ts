import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedKind, tamper, tamperArb } from '../../../test/helpers/ledger-tamper.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { tillLedgerMigrations } from '../../apps/shared/till-ledger-migrations.ts';
import { openSqlite } from '../../db/sqlite.ts';
import { actAs, noteApprover } from '../acting-user.ts';
import { genesisHash } from '../ledger-chain.ts';
import { redactLedgerFields } from './ledger-redactions.ts';
import { verifyLedger } from './verify-ledger.ts';

const tempDir = tempDirs('verify-ledger');
const ledgerWith = (n: number) => {
  const { db, ledger } = openTestLedger(':memory:');
  for (let i = 1; i <= n; i++)
    ledger.append('sale.completed', {
      saleId: `sale-${i}`,
      grossMinor: 100 * i,
      lines: [{ sku: 'MILK', qty: i }],
    });
  return { db, ledger };
};

describe('verify-ledger', () => {
  it('finds an untouched ledger intact, chained from seq 1', () => {
    const { db } = ledgerWith(5);
    expect(verifyLedger(db, 'T1')).toEqual({
      terminalId: 'T1',
      events: 5,
      lastSeq: 5,
      chainStartsAt: 1,
      redacted: 0,
      firstBreak: undefined,
    });
    db.close();
  });

  it('redacts only what HQ holds and what is recorded, and still finds the chain intact', () => {
    const { db, ledger } = ledgerWith(3);
    const e = ledger.append('customer.created', { customerId: 'c-1', phone: '+41791112233', name: 'Olga' });
    ledger.append('sale.completed', { saleId: 'sale-4', grossMinor: 400 });
    // Not redacted without a record, whatever the statement.
    expect(() => db.prepare("UPDATE ledger SET payload = '{}' WHERE id = ?").run(e.id)).toThrow(
      /append-only/,
    );
    const at = '2026-03-02T10:00:00Z';
    // HQ does not hold it yet: sending it redacted would not match its hash there.
    expect(redactLedgerFields(db, e.id, ['phone', 'name'], 'erased', at)).toBe('unsent');
    ledger.markAcked(5);
    expect(redactLedgerFields(db, e.id, ['phone', 'name'], 'erased', at)).toBe('redacted');
    expect(ledger.byId(e.id)?.payload).toEqual({ customerId: 'c-1' });
    expect(redactLedgerFields(db, e.id, ['phone', 'name'], 'erased', at)).toBe('nothing to remove');
    // The record lets the payload change, nothing else of the row.
    expect(() => db.prepare('UPDATE ledger SET seq = 99 WHERE id = ?').run(e.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ledger WHERE id = ?').run(e.id)).toThrow(/append-only/);
    expect(verifyLedger(db, 'T1')).toMatchObject({ events: 5, redacted: 1, firstBreak: undefined });
    db.close();
  });

  it('finds a ledger of signed-in cashiers and approvers intact: who did it is part of what was chained', () => {
    const { db, ledger } = openTestLedger(':memory:');
    const ana = { userId: 'ana', code: '1001', name: 'Ana', permissions: ['sell'] };
    actAs(ana, () => ledger.append('sale.completed', { saleId: 'sale-1', grossMinor: 100 }));
    actAs(ana, () => {
      noteApprover('sam');
      ledger.append('sale.completed', { saleId: 'sale-2', grossMinor: 200 });
    });
    expect(verifyLedger(db, 'T1')).toMatchObject({ events: 2, firstBreak: undefined });
    // Naming someone else afterwards breaks the chain at that event.
    db.exec("DROP TRIGGER IF EXISTS ledger_no_update; UPDATE ledger SET actor = 'sam' WHERE seq = 1");
    expect(verifyLedger(db, 'T1').firstBreak).toMatchObject({ kind: 'altered', seq: 1 });
    db.close();
  });

  it('names the first event altered, removed or reordered by any single edit of ledger.db', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }).chain((n) => fc.tuple(fc.constant(n), tamperArb(n))),
        ([n, t]) => {
          const { db, ledger } = ledgerWith(n);
          tamper(db, 'T1', t, (seq) => ledger.range(seq, 1)[0]!);
          const found = verifyLedger(db, 'T1').firstBreak;
          expect(found, JSON.stringify(t)).toMatchObject({ kind: expectedKind(t), seq: t.seq });
          db.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('tells which sale was altered, in words a store manager can act on', () => {
    const { db, ledger } = ledgerWith(4);
    const altered = ledger.range(3, 1)[0]!;
    tamper(db, 'T1', { kind: 'alter', seq: 3 }, () => altered);
    expect(verifyLedger(db, 'T1').firstBreak).toEqual({
      kind: 'altered',
      seq: 3,
      eventId: altered.id,
      message: `event ${altered.id} at seq 3 was altered after it was written`,
    });
    db.close();
  });

  it('catches the newest events cut off once HQ had acknowledged them', () => {
    const { db, ledger } = ledgerWith(4);
    ledger.markAcked(4);
    tamper(db, 'T1', { kind: 'remove-leaving-hole', seq: 4 }, () => ledger.range(4, 1)[0]!);
    expect(verifyLedger(db, 'T1').firstBreak).toMatchObject({ kind: 'removed', seq: 4 });
    db.close();
  });

  it('keeps an upgraded ledger working: old events stay unhashed and the chain starts at the first new one', () => {
    const file = join(tempDir(), 'ledger.db');
    // A till of the release before the chain: ledger.db without step 0009, three events written.
    const old = openSqlite(file, tillLedgerMigrations.slice(0, -1));
    const insert = old.prepare(
      `INSERT INTO ledger (seq, terminal_id, id, store_id, type, schema_version, business_date, occurred_at, payload)
       VALUES (?, 'T1', ?, 's1', 'sale.completed', 1, '2026-03-01', '2026-03-01T10:00:00.000+00:00', '{}')`,
    );
    for (let seq = 1; seq <= 3; seq++) insert.run(seq, `0195a000-0000-7000-8000-00000000000${seq}`);
    old.close();

    const { db, ledger } = openTestLedger(file);
    const first = ledger.append('sale.completed', { saleId: 'after-upgrade' });
    expect(first).toMatchObject({ seq: 4, prevHash: genesisHash('T1', 4) });
    expect(ledger.append('sale.completed', { saleId: 'next' }).prevHash).toBe(first.hash);
    expect(ledger.range(1, 1)[0]).not.toHaveProperty('hash');
    expect(verifyLedger(db, 'T1')).toMatchObject({ events: 5, chainStartsAt: 4, firstBreak: undefined });

    // Taking the hash off the first chained event to pass it off as an old one shows.
    tamper(db, 'T1', { kind: 'strip-hash', seq: 4 }, () => first);
    expect(verifyLedger(db, 'T1').firstBreak).toMatchObject({ kind: 'altered', seq: 4 });
    db.close();
  });
});
