import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { type IngestResult, ingestBatchSchema } from '../../contracts/wire.ts';
import { fixedClock } from '../../core/clock.ts';
import { createOutbox } from './outbox.ts';
import { decideMark } from './sync-mark.ts';
import { decodeBatch } from './wire-codec.ts';

/**
 * The class behind defect 1: whatever HQ answers — accepted, duplicate, quarantined or conflicting
 * events at any seq, a heldUpTo anywhere (even beyond the ledger), gaps that contradict it, an older
 * HQ with no `kind` — the till's mark never covers an event HQ does not hold.
 */
const kindArb = fc.constantFrom<'quarantined' | 'conflict' | undefined>('quarantined', 'conflict', undefined);

/** One HQ answer, as seqs relative to the ledger's size so they land inside, at and beyond its end. */
const answerArb = fc.record({
  heldUpTo: fc.nat({ max: 60 }),
  rejected: fc.array(fc.record({ seq: fc.integer({ min: 1, max: 60 }), kind: kindArb }), { maxLength: 4 }),
  gaps: fc.array(fc.record({ from: fc.integer({ min: 1, max: 60 }), len: fc.nat({ max: 5 }) }), {
    maxLength: 2,
  }),
});
type Answer = typeof answerArb extends fc.Arbitrary<infer T> ? T : never;

const toResult = (a: Answer, sent: readonly number[]): IngestResult => ({
  accepted: sent.length,
  duplicates: 0,
  rejected: a.rejected.map((r) => ({
    id: `hq-${r.seq}`,
    seq: r.seq,
    reason: 'seq held under another id',
    ...(r.kind ? { kind: r.kind } : {}),
  })),
  heldUpTo: a.heldUpTo,
  gaps: a.gaps.map((g) => ({ from: g.from, to: g.from + g.len })),
});

/** The seqs at or below which the mark may not go, given one answer over (acked, lastSent]. */
function ceiling(acked: number, sent: readonly number[], a: IngestResult): number {
  let c = Math.min(a.heldUpTo, Math.max(acked, ...sent));
  for (const r of a.rejected)
    if ((r.kind ?? 'conflict') === 'conflict' && r.seq > acked) c = Math.min(c, r.seq - 1);
  for (const g of a.gaps) if (g.from > acked) c = Math.min(c, g.from - 1);
  return Math.max(acked, c);
}

describe('the till never marks as delivered an event HQ does not hold', () => {
  it('for any one answer, the mark stops below the lowest conflict and never passes heldUpTo or what was sent', () => {
    fc.assert(
      fc.property(fc.nat({ max: 20 }), fc.integer({ min: 1, max: 30 }), answerArb, (acked, count, answer) => {
        const sent = Array.from({ length: count }, (_, i) => acked + 1 + i);
        const result = toResult(answer, sent);
        const d = decideMark(acked, sent, acked + count, result);
        expect(d.mark).toBeGreaterThanOrEqual(acked);
        expect(d.mark).toBeLessThanOrEqual(ceiling(acked, sent, result));
        for (const r of d.rejections)
          if (r.kind === 'conflict' && r.seq > acked) expect(d.mark).toBeLessThan(r.seq);
        // A rejection without kind is an older HQ's: a conflict.
        for (const [i, r] of result.rejected.entries())
          expect(d.rejections[i]?.kind).toBe(r.kind ?? 'conflict');
        expect(d.hqAhead !== undefined).toBe(
          Math.max(result.heldUpTo, ...result.gaps.map((g) => g.to + 1)) > acked + count,
        );
      }),
    );
  });

  it('through the real outbox and ledger: over many answers the mark never passes a conflict, and after one nothing more is sent', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.array(answerArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 15 }),
        async (size, answers, batchSize) => {
          const dir = mkdtempSync(join(tmpdir(), 'tally-mark-'));
          const { db, ledger } = openTestLedger(join(dir, 'ledger.db'), { clock });
          try {
            for (let i = 0; i < size; i++) ledger.append('sale.completed', { i });
            const script = [...answers];
            let conflictAt = Number.POSITIVE_INFINITY;
            let stopped = false;
            let sentAfterStop = false;
            const seen: { last?: { acked: number; sent: number[]; result: IngestResult } } = {};
            const fetchFn = (async (_url: URL | string, init?: RequestInit) => {
              if (stopped) sentAfterStop = true;
              const batch = ingestBatchSchema.parse(decodeBatch(Buffer.from(init?.body as Uint8Array)));
              const sent = batch.events.map((e) => e.seq);
              const acked = ledger.ackedUpTo();
              const result = toResult(script.shift() ?? { heldUpTo: 0, rejected: [], gaps: [] }, sent);
              for (const r of result.rejected)
                if ((r.kind ?? 'conflict') === 'conflict') {
                  stopped = true;
                  if (r.seq > acked) conflictAt = Math.min(conflictAt, r.seq);
                }
              seen.last = { acked, sent, result };
              return Response.json(result);
            }) as typeof fetch;
            const outbox = createOutbox({
              ledger,
              hqUrl: 'http://hq.test',
              token: 't',
              logger: pino({ level: 'silent' }),
              clock,
              fetch: fetchFn,
              batchSize,
            });
            for (let round = 0; round < answers.length + 2; round++) {
              seen.last = undefined;
              await outbox.sendBatch().catch(() => undefined);
              const last = seen.last as { acked: number; sent: number[]; result: IngestResult } | undefined;
              if (last)
                expect(ledger.ackedUpTo()).toBeLessThanOrEqual(ceiling(last.acked, last.sent, last.result));
              expect(ledger.ackedUpTo()).toBeLessThan(conflictAt);
              expect(ledger.ackedUpTo()).toBeLessThanOrEqual(size);
            }
            await outbox.flush();
            expect(sentAfterStop).toBe(false);
            if (stopped) expect(outbox.status().state).toBe('conflict');
          } finally {
            db.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
