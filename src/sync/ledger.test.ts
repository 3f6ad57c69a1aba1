import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../test/helpers/till-ledger.ts';
import { fixedClock } from '../core/clock.ts';
import { eventEnvelopeSchema } from '../core/event.ts';
import { isoWithOffset, type Ledger } from './ledger.ts';

const tempDir = tempDirs('ledger');
function tempLedger(file = join(tempDir(), 'ledger.db')): { ledger: Ledger; file: string } {
  const { ledger } = openTestLedger(file, {
    terminalId: 't1',
    clock: fixedClock('2026-03-01T23:30:00Z'),
    timeZone: 'Europe/Berlin',
  });
  return { ledger, file };
}

describe('ledger', () => {
  it('writes envelopes HQ accepts, dated in the store time zone', () => {
    const { ledger } = tempLedger();
    const e = ledger.append('shift.opened', { x: 1 });
    expect(eventEnvelopeSchema.parse(e)).toEqual(e);
    expect(e.businessDate).toBe('2026-03-02');
    expect(e.occurredAt).toBe('2026-03-02T00:30:00.000+01:00');
    expect(ledger.byId(e.id)).toEqual(e);
    ledger.db.close();
  });

  it('gives any mix of appends, including failed transactions, the sequence 1..n with no gaps', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('ok', 'fail', 'pair'), { maxLength: 30 }), (ops) => {
        const { ledger } = tempLedger();
        let expected = 0;
        for (const op of ops) {
          if (op === 'ok') {
            ledger.append('sale.completed', { op });
            expected++;
          } else if (op === 'pair') {
            ledger.transaction(() => {
              ledger.append('sale.completed', { op, n: 1 });
              ledger.append('sale.completed', { op, n: 2 });
            });
            expected += 2;
          } else {
            expect(() =>
              ledger.append(
                'sale.completed',
                { op },
                {
                  also: () => {
                    throw new Error('boom');
                  },
                },
              ),
            ).toThrow('boom');
          }
        }
        const seqs = ledger.range(1, 1000).map((e) => e.seq);
        expect(seqs).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
        ledger.db.close();
      }),
      { numRuns: 25 },
    );
  });

  it('refuses to change or remove an event, even through raw SQL', () => {
    const { ledger } = tempLedger();
    ledger.append('sale.completed', { a: 1 });
    expect(() => ledger.db.exec("UPDATE ledger SET payload = '{}'")).toThrow(/append-only/);
    expect(() => ledger.db.exec('DELETE FROM ledger')).toThrow(/append-only/);
    expect(ledger.range(1, 10)[0]?.payload).toEqual({ a: 1 });
    ledger.db.close();
  });

  it('keeps everything committed when the file is reopened, and continues the sequence', () => {
    const first = tempLedger();
    for (let i = 0; i < 5; i++) first.ledger.append('sale.completed', { i });
    // A transaction that dies half-way leaves nothing behind.
    expect(() =>
      first.ledger.transaction(() => {
        first.ledger.append('sale.completed', { i: 'lost' });
        throw new Error('power cut');
      }),
    ).toThrow();
    first.ledger.db.close();
    const again = tempLedger(first.file);
    expect(again.ledger.lastSeq()).toBe(5);
    expect(again.ledger.append('sale.completed', { i: 5 }).seq).toBe(6);
    again.ledger.db.close();
  });

  it('counts what HQ does not hold yet, and never moves the acknowledgement backwards', () => {
    const { ledger } = tempLedger();
    for (let i = 0; i < 4; i++) ledger.append('sale.completed', { i });
    expect(ledger.outboxStats()).toMatchObject({ pending: 4, ackedUpTo: 0, lastSeq: 4 });
    ledger.markAcked(3);
    ledger.markAcked(1);
    expect(ledger.outboxStats()).toMatchObject({ pending: 1, ackedUpTo: 3 });
    expect(ledger.outboxStats().oldestPendingAt).toBe(ledger.range(4, 1)[0]?.occurredAt);
    ledger.db.close();
  });

  it('tells listeners only about committed events', () => {
    const { ledger } = tempLedger();
    const seen: number[] = [];
    ledger.onAppend((e) => seen.push(e.seq));
    ledger.append('sale.completed', {});
    expect(() =>
      ledger.append(
        'sale.completed',
        {},
        {
          also: () => {
            throw new Error('x');
          },
        },
      ),
    ).toThrow();
    ledger.append('sale.completed', {});
    expect(seen).toEqual([1, 2]);
    ledger.db.close();
  });
});

describe('isoWithOffset', () => {
  it('writes UTC, positive and negative offsets', () => {
    const at = new Date('2026-07-01T12:00:00.000Z');
    expect(isoWithOffset(at, 'UTC')).toBe('2026-07-01T12:00:00.000+00:00');
    expect(isoWithOffset(at, 'Europe/Berlin')).toBe('2026-07-01T14:00:00.000+02:00');
    expect(isoWithOffset(at, 'America/New_York')).toBe('2026-07-01T08:00:00.000-04:00');
    expect(new Date(isoWithOffset(at, 'Asia/Kolkata')).getTime()).toBe(at.getTime());
  });
});
