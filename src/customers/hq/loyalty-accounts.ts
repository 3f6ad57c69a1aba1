import { sql } from 'kysely';
import {
  DEFAULT_LOYALTY_PROGRAMME,
  type LoyaltyProgramme,
  loyaltyProgrammeSchema,
} from '../../contracts/index.ts';
import type { HqDb } from '../../db/index.ts';
import { tierFor } from '../loyalty-points.ts';
import { canonicalCustomer, membersOf } from './canonical-customer.ts';
import { appliedLoyaltyEvents } from './loyalty-ledger.ts';

/**
 * What HQ answers about loyalty: the programme (one row, tracked for the tills' catalog delta), a
 * customer's balance with the tier their last 365 days of spend earn, and their movements. Ids and
 * numbers only: no personal field of the customer leaves through here.
 */
export const LOYALTY_PROGRAMME_ENTITY = 'loyalty_programme';

export async function readLoyaltyProgramme(db: HqDb): Promise<LoyaltyProgramme> {
  const { rows } = await sql<{
    programme: unknown;
  }>`SELECT programme FROM loyalty_programme WHERE id = 1`.execute(db);
  if (!rows[0]) return DEFAULT_LOYALTY_PROGRAMME;
  const parsed = loyaltyProgrammeSchema.safeParse(rows[0].programme);
  return parsed.success ? parsed.data : DEFAULT_LOYALTY_PROGRAMME;
}

export async function writeLoyaltyProgramme(
  db: HqDb,
  programme: LoyaltyProgramme,
): Promise<LoyaltyProgramme> {
  const p = loyaltyProgrammeSchema.parse(programme);
  await sql`
    INSERT INTO loyalty_programme (id, programme) VALUES (1, ${JSON.stringify(p)}::jsonb)
    ON CONFLICT (id) DO UPDATE SET programme = EXCLUDED.programme, updated_at = now()`.execute(db);
  return p;
}

export interface LoyaltyBalance {
  customerId: string;
  balancePoints: number;
  overdraft: boolean;
  tier: string;
  tierMultiplierBp: number;
  spend12mMinor: number;
}

/**
 * The 12-month spend of a person: the spend of the movements of every profile merged into theirs, in
 * the 365 days before `now` (so a merge adds the merged profile's spend to the tier, an unmerge takes it
 * off again).
 */
export async function twelveMonthSpendOf(db: HqDb, customerId: string, now: Date): Promise<number> {
  const owners = await membersOf(db, await canonicalCustomer(db, customerId));
  const { rows } = await sql<{ spend: number | null }>`
    SELECT sum(spend_minor) AS spend FROM loyalty_movements
     WHERE owner_id IN (${sql.join(owners)}) AND at > ${new Date(now.getTime() - 365 * 86_400_000).toISOString()}
       AND at <= ${now.toISOString()}`.execute(db);
  return Math.max(0, Number(rows[0]?.spend ?? 0));
}

export async function loyaltyBalance(
  db: HqDb,
  customerId: string,
  now: Date = new Date(),
): Promise<LoyaltyBalance> {
  const programme = await readLoyaltyProgramme(db);
  // A merged id answers the person's balance: the survivor's account holds it.
  const person = await canonicalCustomer(db, customerId);
  const { rows } = await sql<{ balance_points: number; overdraft: boolean }>`
    SELECT balance_points, overdraft FROM loyalty_accounts WHERE customer_id = ${person}`.execute(db);
  const spend = await twelveMonthSpendOf(db, customerId, now);
  const tier = tierFor(programme.tiers, spend);
  return {
    customerId,
    balancePoints: Number(rows[0]?.balance_points ?? 0),
    overdraft: rows[0]?.overdraft ?? false,
    tier: tier.name,
    tierMultiplierBp: tier.multiplierBp,
    spend12mMinor: spend,
  };
}

/**
 * The balance a till asks for, with which of its pending events the ledger holds, read in one snapshot:
 * an event applied between two separate reads would be counted twice or not at all by the till.
 */
export async function loyaltyBalanceForTill(
  db: HqDb,
  customerId: string,
  pending: readonly string[],
  now: Date = new Date(),
): Promise<LoyaltyBalance & { applied: string[] }> {
  const read = async (trx: HqDb) => ({
    ...(await loyaltyBalance(trx, customerId, now)),
    applied: await appliedLoyaltyEvents(trx, pending),
  });
  return db.isTransaction ? read(db) : db.transaction().setIsolationLevel('repeatable read').execute(read);
}

export interface PointsMovementView {
  kind: string;
  points: number;
  balanceAfter: number;
  spendMinor: number;
  eventId: string | null;
  terminalId: string | null;
  storeId: string | null;
  offline: boolean;
  reason: string | null;
  at: string;
}

export async function loyaltyHistory(
  db: HqDb,
  customerId: string,
  limit = 100,
): Promise<PointsMovementView[]> {
  const { rows } = await sql<{
    kind: string;
    points: number;
    balance_after: number;
    spend_minor: number;
    event_id: string | null;
    terminal_id: string | null;
    store_id: string | null;
    offline: boolean;
    reason: string | null;
    at: Date;
  }>`SELECT * FROM loyalty_movements WHERE customer_id = ${await canonicalCustomer(db, customerId)}
       ORDER BY id DESC LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    kind: r.kind,
    points: Number(r.points),
    balanceAfter: Number(r.balance_after),
    spendMinor: Number(r.spend_minor),
    eventId: r.event_id,
    terminalId: r.terminal_id,
    storeId: r.store_id,
    offline: r.offline,
    reason: r.reason,
    at: new Date(r.at).toISOString(),
  }));
}

export interface LoyaltyException {
  customerId: string;
  movementKey: string;
  shortfallPoints: number;
  terminalId: string | null;
}

export async function loyaltyExceptions(db: HqDb, limit = 100): Promise<LoyaltyException[]> {
  const { rows } = await sql<{
    customer_id: string;
    movement_key: string;
    shortfall_points: number;
    terminal_id: string | null;
  }>`
    SELECT * FROM loyalty_exceptions WHERE resolved_at IS NULL ORDER BY id LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    customerId: r.customer_id,
    movementKey: r.movement_key,
    shortfallPoints: Number(r.shortfall_points),
    terminalId: r.terminal_id,
  }));
}
