import fc from 'fast-check';
import type { EventEnvelope } from '../../src/core/event.ts';
import type { SqliteDb } from '../../src/db/sqlite.ts';
import { chainHash } from '../../src/sync/ledger-chain.ts';

/**
 * What someone with write access to a till's ledger.db might do to hide or change a sale, done with
 * plain SQL as they would (dropping the append-only triggers first). `seq` is where the first break
 * must be named: the event altered, the seq now missing or the seq an event was moved into.
 */
export type Tamper =
  | { kind: 'alter'; seq: number }
  | { kind: 'alter-and-rehash'; seq: number }
  | { kind: 'strip-hash'; seq: number }
  | { kind: 'remove-leaving-hole'; seq: number }
  | { kind: 'remove-and-renumber'; seq: number }
  | { kind: 'swap'; seq: number; with: number };

/** The verdict a verifier must give for a tamper. */
export const expectedKind = (t: Tamper): 'altered' | 'removed' | 'reordered' =>
  t.kind === 'swap' ? 'reordered' : t.kind.startsWith('remove') ? 'removed' : 'altered';

/**
 * A tamper a keyless chain can detect in a ledger of `n` chained events: anything but a change at the
 * newest event that re-hashes it or removes it outright (which leaves a valid, shorter chain).
 */
export function tamperArb(n: number): fc.Arbitrary<Tamper> {
  const inner = fc.integer({ min: 1, max: Math.max(1, n - 1) });
  const any = fc.integer({ min: 1, max: n });
  return fc.oneof(
    any.map((seq): Tamper => ({ kind: 'alter', seq })),
    any.map((seq): Tamper => ({ kind: 'strip-hash', seq })),
    inner.map((seq): Tamper => ({ kind: 'alter-and-rehash', seq })),
    inner.map((seq): Tamper => ({ kind: 'remove-leaving-hole', seq })),
    inner.map((seq): Tamper => ({ kind: 'remove-and-renumber', seq })),
    inner.chain((seq) =>
      fc.integer({ min: seq + 1, max: n }).map((other): Tamper => ({ kind: 'swap', seq, with: other })),
    ),
  );
}

export function tamper(
  db: SqliteDb,
  terminalId: string,
  t: Tamper,
  read: (seq: number) => EventEnvelope,
): void {
  db.exec('DROP TRIGGER IF EXISTS ledger_no_update; DROP TRIGGER IF EXISTS ledger_no_delete;');
  // `@t` is the terminal; the other values are bound by name.
  const run = (sql: string, params: Record<string, unknown> = {}) =>
    db.prepare(sql).run({ t: terminalId, ...params });
  switch (t.kind) {
    case 'alter':
      run(
        `UPDATE ledger SET payload = json_set(payload, '$.tampered', 1) WHERE terminal_id = @t AND seq = @seq`,
        { seq: t.seq },
      );
      return;
    case 'alter-and-rehash': {
      const e = read(t.seq);
      const payload = { ...e.payload, tampered: 1 };
      run('UPDATE ledger SET payload = @payload, chain_hash = @hash WHERE terminal_id = @t AND seq = @seq', {
        payload: JSON.stringify(payload),
        hash: chainHash({ ...e, payload }),
        seq: t.seq,
      });
      return;
    }
    case 'strip-hash':
      run(
        'UPDATE ledger SET chain_hash = NULL, chain_prev_hash = NULL WHERE terminal_id = @t AND seq = @seq',
        { seq: t.seq },
      );
      return;
    case 'remove-leaving-hole':
      run('DELETE FROM ledger WHERE terminal_id = @t AND seq = @seq', { seq: t.seq });
      return;
    case 'remove-and-renumber':
      run('DELETE FROM ledger WHERE terminal_id = @t AND seq = @seq', { seq: t.seq });
      // Through negative seqs, so the primary key never sees two rows at one seq.
      run('UPDATE ledger SET seq = -(seq - 1) WHERE terminal_id = @t AND seq > @seq', { seq: t.seq });
      run('UPDATE ledger SET seq = -seq WHERE terminal_id = @t AND seq < 0');
      return;
    case 'swap':
      run('UPDATE ledger SET seq = -1 WHERE terminal_id = @t AND seq = @seq', { seq: t.seq });
      run('UPDATE ledger SET seq = @seq WHERE terminal_id = @t AND seq = @other', {
        seq: t.seq,
        other: t.with,
      });
      run('UPDATE ledger SET seq = @other WHERE terminal_id = @t AND seq = -1', { other: t.with });
      return;
  }
}
