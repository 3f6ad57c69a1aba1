import { sql } from 'kysely';
import type { CashDifference, TillsResponse, TillTerminal } from '../contracts/index.ts';
import type { HqDb } from '../db/index.ts';
import { SALES_EVENT_TYPES } from '../sales/index.ts';
import { addDays, describeStores, num, type StoreSet, source, storeIn } from './common.ts';
import type { ScopeStore } from './scope.ts';

export interface TerminalRow {
  id: string;
  store_id: string;
  name: string | null;
  last_seen_at: Date | null;
  outbox_pending: number | null;
  outbox_oldest_age_s: number | null;
  outbox_reported_at: Date | null;
  /** Refused events from sync_conflicts and sync_quarantine; absent = none. */
  conflicts?: number;
  quarantined?: number;
}

export interface ShiftEventRow {
  store_id: string;
  terminal_id: string;
  type: string;
  occurred_at: Date;
  payload: { shiftId?: string; zNumber?: number; differenceMinor?: number };
}

/** Shifts opened this long ago without a close are still "open" on the panel; older ones are history. */
export const OPEN_SHIFT_DAYS = 2;
export const CASH_DIFFERENCE_DAYS = 7;

/**
 * Pure: the lag of a till is the age now of the oldest event it reported unsent (it keeps growing if
 * the till goes silent with events pending); 0 with an empty outbox; null if it never reported.
 */
export function terminalHealth(t: TerminalRow, now: Date): TillTerminal {
  let lag: number | null = null;
  if (t.outbox_pending !== null) {
    const sinceReport = t.outbox_reported_at
      ? Math.max(0, (now.getTime() - t.outbox_reported_at.getTime()) / 1000)
      : 0;
    lag = t.outbox_pending > 0 ? Math.round(num(t.outbox_oldest_age_s) + sinceReport) : 0;
  }
  return {
    terminalId: t.id,
    ...(t.name ? { name: t.name } : {}),
    unsent: t.outbox_pending,
    lastSyncAt: t.last_seen_at?.toISOString() ?? null,
    lagSeconds: lag,
    conflicts: t.conflicts ?? 0,
    quarantined: t.quarantined ?? 0,
  };
}

export function shapeTills(
  stores: readonly ScopeStore[],
  terminals: readonly TerminalRow[],
  shiftEvents: readonly ShiftEventRow[],
  now: Date,
): TillsResponse['stores'] {
  return stores.map((s) => {
    const opened = new Set<string>();
    const closed = new Set<string>();
    const cashDifferences: CashDifference[] = [];
    for (const e of shiftEvents) {
      if (e.store_id !== s.id) continue;
      const id = e.payload.shiftId ?? '';
      if (e.type === SALES_EVENT_TYPES.shiftOpened) opened.add(id);
      if (e.type === SALES_EVENT_TYPES.shiftClosed) {
        closed.add(id);
        const diff = e.payload.differenceMinor;
        if (diff !== undefined && diff !== 0)
          cashDifferences.push({
            zNumber: e.payload.zNumber ?? 0,
            terminalId: e.terminal_id,
            closedAt: e.occurred_at.toISOString(),
            differenceMinor: diff,
          });
      }
    }
    cashDifferences.sort((a, b) => (a.closedAt < b.closedAt ? 1 : -1));
    return {
      storeId: s.id,
      name: s.name,
      terminals: terminals.filter((t) => t.store_id === s.id).map((t) => terminalHealth(t, now)),
      openShifts: [...opened].filter((id) => !closed.has(id)).length,
      cashDifferences,
    };
  });
}

export async function loadTills(
  db: HqDb,
  q: { stores: readonly ScopeStore[]; set: StoreSet; today: string; currency: string; now?: Date },
): Promise<TillsResponse> {
  const now = q.now ?? new Date();
  const terminals = await db
    .selectFrom('terminals')
    .select([
      'id',
      'store_id',
      'name',
      'last_seen_at',
      'outbox_pending',
      'outbox_oldest_age_s',
      'outbox_reported_at',
    ])
    .where('store_id', 'is not', null)
    .where(storeIn('store_id', q.set))
    .orderBy('id')
    .execute();
  const { rows: refused } = await sql<{ terminal_id: string; what: 'c' | 'q'; n: number }>`
    SELECT terminal_id, 'c' AS what, count(*)::int AS n FROM sync_conflicts
    WHERE ${storeIn('store_id', q.set)} GROUP BY terminal_id
    UNION ALL
    SELECT terminal_id, 'q' AS what, count(*)::int AS n FROM sync_quarantine
    WHERE ${storeIn('store_id', q.set)} GROUP BY terminal_id`.execute(db);
  const withRefused = (terminals as TerminalRow[]).map((t) => ({
    ...t,
    conflicts: refused.find((r) => r.terminal_id === t.id && r.what === 'c')?.n ?? 0,
    quarantined: refused.find((r) => r.terminal_id === t.id && r.what === 'q')?.n ?? 0,
  }));
  // Shift events of the last week only: the events index is (store_id, business_date).
  const since = addDays(q.today, -Math.max(OPEN_SHIFT_DAYS, CASH_DIFFERENCE_DAYS));
  const { rows: shifts } = await sql<ShiftEventRow>`
    SELECT store_id, terminal_id, type, occurred_at, payload FROM events
    WHERE business_date >= ${since} AND type IN (${SALES_EVENT_TYPES.shiftOpened}, ${SALES_EVENT_TYPES.shiftClosed})
      AND ${storeIn('store_id', q.set)}
    ORDER BY pos`.execute(db);
  const openSince = addDays(q.today, -OPEN_SHIFT_DAYS);
  const recent = shifts.filter(
    (e) => e.type === SALES_EVENT_TYPES.shiftClosed || e.occurred_at.toISOString().slice(0, 10) >= openSince,
  );
  return {
    stores: shapeTills(q.stores, withRefused, recent, now),
    currency: q.currency,
    source: source(
      ['terminals', 'events', 'sync_conflicts', 'sync_quarantine'],
      `terminals of ${describeStores(q.set)} (outbox as last reported by each till, events HQ refused as conflicts or quarantined); shift.opened without ` +
        `shift.closed in the last ${OPEN_SHIFT_DAYS} days; Z reports (shift.closed) with a cash difference in the last ${CASH_DIFFERENCE_DAYS} days`,
      now,
    ),
  };
}
