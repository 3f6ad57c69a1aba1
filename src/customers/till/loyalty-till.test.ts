import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOYALTY_PROGRAMME } from '../../contracts/index.ts';
import { newId } from '../../core/index.ts';
import { openSqlite } from '../../db/sqlite.ts';
import type { LoyaltyReturnPoints, LoyaltySalePoints } from '../loyalty-events.ts';
import { type LoyaltyAuthority, LoyaltyUnreachable } from './loyalty-hq-client.ts';
import { loyaltyLedgerMigrations } from './loyalty-ledger-migration.ts';
import { createTillLoyalty } from './loyalty-till.ts';

/**
 * The balance a till shows is HQ's plus this till's movements HQ has not booked: whatever the order of
 * sales that earn, burns online and offline, returns, syncs (some events, some twice) and refreshes,
 * the till shows the customer's true balance, never less before its events sync and never double after.
 */
const CUSTOMER = '01900000-0000-7000-8000-000000000001';
const programme = { ...DEFAULT_LOYALTY_PROGRAMME, enabled: true, pointsPerUnit: 1, offlineCapPoints: 40 };

type LoyaltyEvent = { id: string; payload: LoyaltySalePoints | LoyaltyReturnPoints };

/** HQ's ledger as far as one customer goes: movements applied once per event, burns debited on authorisation. */
function fakeHq(start: number) {
  const hq = { balance: start, applied: new Set<string>(), up: true };
  const reach = () => {
    if (!hq.up) throw new LoyaltyUnreachable('connect ECONNREFUSED');
  };
  const authority: LoyaltyAuthority = {
    async balance(_customerId, pending = []) {
      reach();
      return {
        balancePoints: hq.balance,
        tier: 'bronze',
        tierMultiplierBp: 10_000,
        applied: pending.filter((id) => hq.applied.has(id)),
      };
    },
    async burn(req) {
      reach();
      if (req.points > hq.balance) return { status: 'declined', message: 'points: not enough' };
      hq.balance -= req.points;
      return {
        status: 'approved',
        balancePoints: hq.balance,
        applied: (req.pending ?? []).filter((id) => hq.applied.has(id)),
      };
    },
    async release() {
      reach();
    },
  };
  /** What ingest does with one of the till's loyalty events (customers/hq/loyalty-projection.ts). */
  const ingest = (e: LoyaltyEvent) => {
    if (hq.applied.has(e.id)) return;
    hq.applied.add(e.id);
    const p = e.payload;
    hq.balance += 'earned' in p ? p.earned - (p.authId ? 0 : p.burned) : p.refunded - p.reversed;
  };
  return { hq, authority, ingest };
}

type Step =
  | { kind: 'earn'; units: number }
  | { kind: 'burn'; points: number }
  | { kind: 'return' }
  | { kind: 'sync'; count: number; twice: boolean }
  | { kind: 'refresh' }
  | { kind: 'network'; up: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('earn' as const), units: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('burn' as const), points: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('return' as const) }),
  fc.record({
    kind: fc.constant('sync' as const),
    count: fc.integer({ min: 1, max: 4 }),
    twice: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('refresh' as const) }),
  fc.record({ kind: fc.constant('network' as const), up: fc.boolean() }),
);

async function run(start: number, steps: readonly Step[]) {
  const db = openSqlite(':memory:');
  for (const m of loyaltyLedgerMigrations) db.exec(m.up);
  const { hq, authority, ingest } = fakeHq(start);
  const till = createTillLoyalty(db, () => new Date('2026-03-02T10:00:00Z'), {
    authority,
    programme: () => programme,
  });
  const outbox: LoyaltyEvent[] = [];
  let shipped = 0;
  const sales: LoyaltySalePoints[] = [];
  let truth = start;
  const record = (payload: LoyaltySalePoints | LoyaltyReturnPoints) => {
    const e = { id: newId(), payload };
    db.transaction(() => till.recorded(e.id, payload))();
    outbox.push(e);
  };
  await till.refresh(CUSTOMER);
  for (const s of steps) {
    if (s.kind === 'network') hq.up = s.up;
    else if (s.kind === 'refresh') await till.refresh(CUSTOMER);
    else if (s.kind === 'sync') {
      if (!hq.up) continue;
      const batch = outbox.slice(shipped, shipped + s.count);
      for (const e of [...batch, ...(s.twice ? batch : [])]) ingest(e);
      shipped += batch.length;
    } else if (s.kind === 'earn') {
      const p = till.settleSale({
        customerId: CUSTOMER,
        saleId: newId(),
        currency: 'EUR',
        storeId: 'S001',
        lines: [{ lineNo: 1, qty: 1, netMinor: s.units * 100 }],
        grossMinor: s.units * 100,
      });
      truth += p.earned;
      sales.push(p);
      record(p);
    } else if (s.kind === 'burn') {
      const hold = await till.holdBurn(CUSTOMER, s.points, 'points').catch(() => undefined);
      if (!hold) continue;
      const p = till.settleSale({
        customerId: CUSTOMER,
        saleId: newId(),
        currency: 'EUR',
        storeId: 'S001',
        lines: [],
        grossMinor: s.points,
        burn: { hold, valueMinor: s.points },
      });
      truth -= p.burned;
      sales.push(p);
      record(p);
    } else {
      const sale = sales.shift();
      if (!sale) continue;
      const p = till.settleReturn({
        sale,
        returnId: newId(),
        returnedBefore: new Map(),
        returningNow: new Map(sale.lines.map((l) => [l.lineNo, l.qty])),
        refundedPoints: sale.burned,
      });
      truth += p.refunded - p.reversed;
      record(p);
    }
    expect(till.known(CUSTOMER)?.balancePoints, `after ${JSON.stringify(s)}`).toBe(truth);
  }
  // Everything synced, asked again: HQ and the till agree and the till holds nothing of its own.
  hq.up = true;
  for (const e of outbox) ingest(e);
  await till.refresh(CUSTOMER);
  expect([hq.balance, till.known(CUSTOMER)?.balancePoints]).toEqual([truth, truth]);
  expect(db.prepare('SELECT count(*) FROM loyalty_unacknowledged').pluck().get()).toBe(0);
  db.close();
}

describe('the points a till shows', () => {
  it('a refresh before the till’s offline earnings reach HQ still shows them', async () => {
    await run(100, [
      { kind: 'network', up: false },
      { kind: 'earn', units: 30 },
      { kind: 'burn', points: 20 },
      { kind: 'network', up: true },
      { kind: 'refresh' },
      { kind: 'sync', count: 1, twice: true },
      { kind: 'refresh' },
      { kind: 'sync', count: 1, twice: false },
      { kind: 'refresh' },
    ]);
  });

  it('is HQ’s balance plus what HQ has not booked, in any order of earn, burn, return, sync and refresh', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 200 }), fc.array(step, { maxLength: 30 }), run),
      { numRuns: 150 },
    );
  });
});
