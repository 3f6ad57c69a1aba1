import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { expectedKind, type Tamper, tamper, tamperArb } from '../../../test/helpers/ledger-tamper.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { type AuthenticatedTerminal, enrollTerminal } from '../../access/terminals.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { fixedClock } from '../../core/clock.ts';
import type { EventEnvelope } from '../../core/event.ts';
import { newId } from '../../core/ids.ts';
import { actAs, noteApprover } from '../acting-user.ts';
import { listConflicts } from './conflicts.ts';
import { ingestBatch } from './ingest.ts';
import { syncDb } from './sync-tables.ts';
import { verifyHqChains } from './verify-chains.ts';

/**
 * HQ checks each till's hash chain as batches arrive, in whatever order and split they arrive: an
 * untouched chain is accepted exactly once, and any single edit of the till's ledger.db is refused as
 * a `conflict` (or, for an event cut out leaving its seq empty, shows as a gap HQ reports).
 */
const NOW = '2026-03-02T09:00:00Z';

/** A till's events as its outbox would send them: `legacy` written before the chain, then `n` chained. */
function tillEvents(
  terminalId: string,
  n: number,
  opts: { legacy?: number; edit?: Tamper } = {},
): EventEnvelope[] {
  const { db, ledger } = openTestLedger(':memory:', {
    storeId: 'S001',
    terminalId,
    clock: fixedClock(NOW),
  });
  const legacy = opts.legacy ?? 0;
  for (let seq = 1; seq <= legacy; seq++)
    db.prepare(
      `INSERT INTO ledger (seq, terminal_id, id, store_id, type, schema_version, business_date, occurred_at, payload)
       VALUES (?, ?, ?, 'S001', 'till.noted', 1, '2026-03-02', '2026-03-02T08:00:00.000+00:00', ?)`,
    ).run(seq, terminalId, newId(), JSON.stringify({ seq }));
  for (let i = 1; i <= n; i++) ledger.append('till.noted', { note: `event ${i}`, amountMinor: 100 * i });
  if (opts.edit) tamper(db, terminalId, opts.edit, (seq) => ledger.range(seq, 1)[0]!);
  const events = ledger.range(1, 10_000);
  db.close();
  return events;
}

/** Cuts the events into batches and delivers them in `order`, some twice, as a retrying outbox may. */
const deliveryArb = (n: number) =>
  fc.record({
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 4 }),
    order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    again: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  });

function batches(events: readonly EventEnvelope[], d: { cuts: number[]; order: number[]; again: boolean[] }) {
  const edges = [0, ...[...d.cuts].sort((a, b) => a - b).filter((c) => c < events.length), events.length];
  const parts = edges
    .slice(1)
    .map((end, i) => events.slice(edges[i], end))
    .filter((p) => p.length > 0);
  const ordered = parts
    .map((p, i) => ({ p, key: d.order[i] ?? 0, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.p);
  return ordered.flatMap((p, i) => (d.again[i] ? [p, p] : [p]));
}

describe.each(hqBackends())('till hash chains at ingest on $name', ({ open }) => {
  const h = useHqDb(open, {
    once: true,
    seed: async (db) => {
      await createStore(db, berlinStore('S001'));
    },
  });
  let tills = 0;
  const newTill = () =>
    enrollTerminal(h.db, { storeId: 'S001', terminalId: `S001-C${String(++tills).padStart(3, '0')}` });
  const deliver = async (t: AuthenticatedTerminal, parts: readonly EventEnvelope[][]) => {
    const results = [];
    for (const events of parts)
      results.push(
        await ingestBatch(
          h.db,
          hqEventRegistry,
          t,
          { terminalId: t.terminalId, events },
          { now: new Date(NOW) },
        ),
      );
    return results;
  };

  it('accepts an untouched chain exactly once, whatever the batching, order and repeats', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 8 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: 2 }), deliveryArb(n + 2))),
        async ([n, legacy, d]) => {
          const till = await newTill();
          const events = tillEvents(till.terminalId, n, { legacy });
          const results = await deliver(till, batches(events, d));
          expect(results.flatMap((r) => r.rejected)).toEqual([]);
          expect(results.reduce((s, r) => s + r.accepted, 0)).toBe(events.length);
          expect(results.at(-1)).toMatchObject({ heldUpTo: events.length, gaps: [] });
          expect(await verifyHqChains(h.db, { terminalId: till.terminalId })).toMatchObject({
            events: events.length,
            breaks: [],
          });
        },
      ),
      { numRuns: 20 },
    );
  });

  it('keeps who did each event and who approved it, and the stored events still chain', async () => {
    const till = await newTill();
    const { db, ledger } = openTestLedger(':memory:', {
      storeId: 'S001',
      terminalId: till.terminalId,
      clock: fixedClock(NOW),
    });
    const ana = { userId: 'ana', code: '1001', name: 'Ana', permissions: ['sell'] };
    ledger.append('till.noted', { note: 'nobody signed in' });
    actAs(ana, () => ledger.append('till.noted', { note: 'ana alone' }));
    actAs(ana, () => {
      noteApprover('sam');
      ledger.append('till.noted', { note: 'ana, approved by sam' });
    });
    const events = ledger.range(1, 10);
    db.close();
    const [result] = await deliver(till, [events]);
    expect(result?.rejected).toEqual([]);
    const stored = await syncDb(h.db)
      .selectFrom('events')
      .select(['seq', 'actor', 'approver'])
      .where('terminal_id', '=', till.terminalId)
      .orderBy('seq')
      .execute();
    expect(stored.map((r) => [Number(r.seq), r.actor, r.approver])).toEqual([
      [1, null, null],
      [2, 'ana', null],
      [3, 'ana', 'sam'],
    ]);
    expect(await verifyHqChains(h.db, { terminalId: till.terminalId })).toMatchObject({
      events: 3,
      breaks: [],
    });
    // The same event sent again naming someone else is not a duplicate: the actor is part of the event.
    const forged = { ...events[1]!, actor: 'sam' };
    const [again] = await deliver(till, [[forged]]);
    expect(again?.rejected.map((r) => r.kind)).toEqual(['conflict']);
  });

  it('refuses any single edit of the ledger as a conflict naming where the chain broke, in any delivery', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: 7 })
          .chain((n) => fc.tuple(fc.constant(n), tamperArb(n), deliveryArb(n)))
          .filter(([, t]) => t.kind !== 'remove-leaving-hole'),
        async ([n, edit, d]) => {
          const till = await newTill();
          const events = tillEvents(till.terminalId, n, { edit });
          const results = await deliver(till, batches(events, d));
          const conflicts = results.flatMap((r) => r.rejected).filter((r) => r.kind === 'conflict');
          expect(conflicts.length, JSON.stringify(edit)).toBeGreaterThan(0);
          for (const c of conflicts) expect(c.reason).toMatch(/^chain broke at seq \d+/);
          // What HQ stored is a consistent chain: no refused event slipped in.
          expect((await verifyHqChains(h.db, { terminalId: till.terminalId })).breaks).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reports a gap, never holding the seq, when an event is cut out and its seq left empty', async () => {
    const till = await newTill();
    const edit: Tamper = { kind: 'remove-leaving-hole', seq: 3 };
    expect(expectedKind(edit)).toBe('removed');
    const [r] = await deliver(till, [tillEvents(till.terminalId, 5, { edit })]);
    expect(r).toMatchObject({ accepted: 4, heldUpTo: 2, gaps: [{ from: 3, to: 3 }] });
  });

  it('records a chain break with both events, so head office sees what the till changed', async () => {
    const till = await newTill();
    const honest = tillEvents(till.terminalId, 3);
    await deliver(till, [honest.slice(0, 2)]);
    const edited = { ...honest[2]!, payload: { note: 'event 3', amountMinor: 1 } };
    const [r] = await deliver(till, [[edited]]);
    expect(r?.rejected).toEqual([
      {
        id: edited.id,
        seq: 3,
        kind: 'conflict',
        reason:
          'chain broke at seq 3: its hash does not match its content (the event was altered after it was written)',
      },
    ]);
    const [listed] = await listConflicts(h.db, { terminalId: till.terminalId });
    expect(listed).toMatchObject({ seq: 3, refused: { id: edited.id, payload: edited.payload } });
  });

  it("finds an edit of HQ's own copy of a till's events when it walks the chains again", async () => {
    const till = await newTill();
    await deliver(till, [tillEvents(till.terminalId, 4)]);
    expect((await verifyHqChains(h.db, { terminalId: till.terminalId })).breaks).toEqual([]);
    await sql`UPDATE events SET payload = '{"note":"event 2","amountMinor":1}'::jsonb
              WHERE terminal_id = ${till.terminalId} AND seq = 2`.execute(h.db);
    const report = await verifyHqChains(h.db);
    expect(report.breaks.filter((b) => b.terminalId === till.terminalId)).toEqual([
      expect.objectContaining({
        seq: 2,
        reason: expect.stringMatching(/^chain broke at seq 2: its hash does not match/),
      }),
    ]);
  });
});
