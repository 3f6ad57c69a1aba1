import type { Logger } from 'pino';
import {
  DEFAULT_LOYALTY_PROGRAMME,
  type LoyaltyProgramme,
  loyaltyProgrammeSchema,
} from '../../contracts/index.ts';
import { invalid, newId, TallyError } from '../../core/index.ts';
import type { SqliteDb } from '../../db/index.ts';
import type { LoyaltyReturnPoints, LoyaltySalePoints } from '../loyalty-events.ts';
import { type EarnLine, earnPoints, pointsToReverse } from '../loyalty-points.ts';
import { type LoyaltyAuthority, LoyaltyRefused, LoyaltyUnreachable } from './loyalty-hq-client.ts';
import { type PendingMovement, shownBalance } from './loyalty-unacknowledged.ts';

/**
 * Loyalty at the till. The programme comes with the catalog; balances of customers the till has seen
 * are kept in ledger.db (HQ's last answer, less what this till burned offline since, plus what it
 * earned). With an `authority` (HQ) a burn is authorised by HQ before the sale commits; when HQ cannot
 * be reached the till allows up to the programme's offline cap per customer against the last known
 * balance and marks the burn `offline`, for HQ to apply on ingest (even below zero, as an exception).
 * The till remembers each loyalty event's movement until HQ's answer shows it applied
 * (loyalty-unacknowledged.ts), so the balance it shows is HQ's plus what HQ has not booked yet.
 */
export interface KnownBalance {
  customerId: string;
  balancePoints: number;
  tier: string;
  tierMultiplierBp: number;
  /** When the till last heard from HQ, or last changed the balance itself. */
  asOf: string;
  /** Burned here while HQ was unreachable and not yet confirmed by HQ's answer. */
  offlineSpentPoints: number;
}

export interface BurnHold {
  customerId: string;
  points: number;
  field: string;
  mode: 'local' | 'online' | 'offline';
  authId?: string;
  balanceAfter?: number;
  /** Of this till's pending events, those HQ's ledger showed when it debited the burn. */
  applied?: string[];
}

export interface TillLoyalty {
  programme(): LoyaltyProgramme;
  known(customerId: string): KnownBalance | undefined;
  /**
   * Asks HQ for the balance and tier and keeps them, plus this till's movements HQ does not show yet;
   * best effort ('till' when HQ is unreachable).
   */
  refresh(customerId: string): Promise<'hq' | 'till'>;
  /** In the loyalty event's transaction, once it is appended: its movement, until HQ shows it applied. */
  recorded(eventId: string, points: LoyaltySalePoints | LoyaltyReturnPoints): void;
  /** Before any card is charged: HQ's authorisation, or the offline allowance; throws when neither. */
  holdBurn(customerId: string, points: number, field: string): Promise<BurnHold>;
  /** Gives HQ back a burn whose sale was not recorded (kept and retried when HQ is unreachable). */
  release(hold: BurnHold | undefined): Promise<void>;
  /** In the sale's transaction: earns, settles the burn, moves the kept balance; the event's payload. */
  settleSale(input: {
    customerId: string;
    saleId: string;
    currency: string;
    storeId: string;
    lines: readonly EarnLine[];
    grossMinor: number;
    burn?: { hold: BurnHold; valueMinor: number } | undefined;
  }): LoyaltySalePoints;
  /** In the return's transaction: takes back the returned lines' points, gives back burned points. */
  settleReturn(input: {
    sale: LoyaltySalePoints;
    returnId: string;
    returnedBefore: ReadonlyMap<number, number>;
    returningNow: ReadonlyMap<number, number>;
    refundedPoints: number;
  }): LoyaltyReturnPoints;
}

export interface TillLoyaltyOptions {
  authority?: LoyaltyAuthority | undefined;
  /** The programme as the catalog cache holds it (JSON), undefined before the first pull. */
  programme: () => Record<string, unknown> | undefined;
  logger?: Logger | undefined;
}

interface Row {
  customer_id: string;
  balance_points: number;
  tier: string;
  tier_multiplier_bp: number;
  offline_spent_points: number;
  as_of: string;
}
const toKnown = (r: Row): KnownBalance => ({
  customerId: r.customer_id,
  balancePoints: r.balance_points,
  tier: r.tier,
  tierMultiplierBp: r.tier_multiplier_bp,
  asOf: r.as_of,
  offlineSpentPoints: r.offline_spent_points,
});

export function createTillLoyalty(db: SqliteDb, now: () => Date, opts: TillLoyaltyOptions): TillLoyalty {
  const { authority, logger } = opts;
  const q = {
    get: db.prepare('SELECT * FROM loyalty_balances WHERE customer_id = ?'),
    upsert: db.prepare(
      `INSERT INTO loyalty_balances (customer_id, balance_points, tier, tier_multiplier_bp, offline_spent_points, as_of)
       VALUES (@customerId, @balancePoints, @tier, @tierMultiplierBp, @offlineSpentPoints, @asOf)
       ON CONFLICT (customer_id) DO UPDATE SET balance_points = @balancePoints, tier = @tier,
         tier_multiplier_bp = @tierMultiplierBp, offline_spent_points = @offlineSpentPoints, as_of = @asOf`,
    ),
    owe: db.prepare(
      'INSERT OR IGNORE INTO loyalty_releases (auth_id, customer_id, points, created_at) VALUES (?, ?, ?, ?)',
    ),
    owed: db.prepare('SELECT auth_id FROM loyalty_releases ORDER BY created_at').pluck(),
    paid: db.prepare('DELETE FROM loyalty_releases WHERE auth_id = ?'),
    pending: db.prepare(
      `SELECT event_id AS eventId, points, offline_burn_points AS offlineBurnPoints
         FROM loyalty_unacknowledged WHERE customer_id = ? ORDER BY created_at, event_id`,
    ),
    remember: db.prepare(
      `INSERT OR IGNORE INTO loyalty_unacknowledged (event_id, customer_id, points, offline_burn_points, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    forget: db.prepare('DELETE FROM loyalty_unacknowledged WHERE event_id = ?'),
  };
  let parsed: { raw: unknown; programme: LoyaltyProgramme } | undefined;
  const programme = (): LoyaltyProgramme => {
    const raw = opts.programme();
    if (parsed?.raw === raw && parsed) return parsed.programme;
    const p = raw === undefined ? undefined : loyaltyProgrammeSchema.safeParse(raw);
    if (p && !p.success)
      logger?.warn({ issues: p.error.issues.length }, 'loyalty programme from HQ unreadable; loyalty off');
    parsed = { raw, programme: p?.success ? p.data : { ...DEFAULT_LOYALTY_PROGRAMME, enabled: false } };
    return parsed.programme;
  };
  const known = (customerId: string): KnownBalance | undefined => {
    const r = q.get.get(customerId) as Row | undefined;
    return r && toKnown(r);
  };
  const orBase = (customerId: string): KnownBalance => {
    const first = programme().tiers[0]!;
    return (
      known(customerId) ?? {
        customerId,
        balancePoints: 0,
        tier: first.name,
        tierMultiplierBp: first.multiplierBp,
        asOf: now().toISOString(),
        offlineSpentPoints: 0,
      }
    );
  };
  const save = (k: KnownBalance): void => void q.upsert.run(k);

  async function giveBackOwed(): Promise<void> {
    for (const authId of q.owed.all() as string[]) {
      try {
        await authority!.release(authId);
      } catch (err) {
        if (!(err instanceof LoyaltyRefused)) return;
        logger?.error({ authId, reason: err.message }, 'HQ refused to give back a loyalty burn');
      }
      q.paid.run(authId);
    }
  }

  const api: TillLoyalty = {
    programme,
    known,
    async refresh(customerId) {
      if (!authority) return 'till';
      let remote: Awaited<ReturnType<LoyaltyAuthority['balance']>>;
      const asked = q.pending.all(customerId) as PendingMovement[];
      try {
        remote = await authority.balance(
          customerId,
          asked.map((p) => p.eventId),
        );
      } catch (err) {
        logger?.info({ reason: String(err) }, 'HQ unreachable for a loyalty balance; using the till’s');
        return 'till';
      }
      await giveBackOwed();
      const k = orBase(customerId);
      // Only what was asked about can be acknowledged; anything recorded since is still this till's.
      const askedIds = new Set(asked.map((p) => p.eventId));
      const applied = (remote.applied ?? []).filter((id) => askedIds.has(id));
      const shown = shownBalance(
        remote.balancePoints,
        q.pending.all(customerId) as PendingMovement[],
        applied,
      );
      db.transaction(() => {
        for (const id of shown.acknowledged) q.forget.run(id);
        save({
          ...k,
          tier: remote.tier,
          tierMultiplierBp: remote.tierMultiplierBp,
          balancePoints: shown.balancePoints,
          offlineSpentPoints: shown.offlineSpentPoints,
          asOf: now().toISOString(),
        });
      })();
      return 'hq';
    },

    recorded(eventId, p) {
      const sale = 'earned' in p;
      // An online burn is in HQ's ledger already (HQ debited it when it authorised it).
      const burnedHere = sale && !p.authId ? p.burned : 0;
      const points = sale ? p.earned - burnedHere : p.refunded - p.reversed;
      const offlineBurn = sale && p.offline ? p.burned : 0;
      if (points === 0 && offlineBurn === 0) return;
      q.remember.run(eventId, p.customerId, points, offlineBurn, now().toISOString());
    },

    async holdBurn(customerId, points, field) {
      if (!Number.isSafeInteger(points) || points <= 0)
        throw invalid(field, `must be a whole number of points above 0, got ${points}`);
      if (!programme().enabled) throw invalid(field, 'the loyalty programme is off');
      const k = orBase(customerId);
      const base = { customerId, points, field };
      if (!authority) {
        if (points > k.balancePoints)
          throw invalid(field, `the customer holds ${k.balancePoints} points, less than the ${points} asked`);
        return { ...base, mode: 'local' };
      }
      const authId = newId();
      const pending = (q.pending.all(customerId) as PendingMovement[]).map((p) => p.eventId);
      try {
        const answer = await authority.burn({ authId, customerId, points, pending });
        if (answer.status === 'approved')
          return {
            ...base,
            mode: 'online',
            authId,
            balanceAfter: answer.balancePoints,
            applied: (answer.applied ?? []).filter((id) => pending.includes(id)),
          };
        throw invalid(field, answer.message.replace(/^points: /, ''));
      } catch (err) {
        if (!(err instanceof LoyaltyUnreachable)) throw err;
      }
      const cap = programme().offlineCapPoints;
      const room = Math.min(k.balancePoints, cap - k.offlineSpentPoints);
      if (points > room)
        throw new TallyError(
          'unavailable',
          `${field}: HQ cannot confirm the customer's points (offline); up to ${Math.max(0, room)} can be used now (offline cap ${cap}, last known balance ${k.balancePoints} as of ${k.asOf}) — use fewer, or another tender`,
          field,
        );
      logger?.warn({ customerId, points }, 'loyalty points burned offline');
      return { ...base, mode: 'offline' };
    },

    async release(hold) {
      if (hold?.mode !== 'online' || !authority) return;
      try {
        await authority.release(hold.authId!);
      } catch (err) {
        if (err instanceof LoyaltyRefused) {
          logger?.error(
            { authId: hold.authId, reason: err.message },
            'HQ refused to give back a loyalty burn',
          );
          return;
        }
        q.owe.run(hold.authId!, hold.customerId, hold.points, now().toISOString());
      }
    },

    settleSale(input) {
      const p = programme();
      const k = orBase(input.customerId);
      const hold = input.burn?.hold;
      const earned = earnPoints(p, {
        lines: input.lines,
        currency: input.currency,
        storeId: input.storeId,
        tierMultiplierBp: k.tierMultiplierBp,
        grossMinor: input.grossMinor,
        paidWithPointsMinor: input.burn?.valueMinor ?? 0,
      });
      let balance = k.balancePoints;
      let offlineSpent = k.offlineSpentPoints;
      if (hold?.mode === 'online') {
        // HQ's balance after the debit, plus what this till did that HQ's ledger did not show then.
        const shown =
          hold.balanceAfter === undefined
            ? undefined
            : shownBalance(
                hold.balanceAfter,
                q.pending.all(input.customerId) as PendingMovement[],
                hold.applied ?? [],
              );
        for (const id of shown?.acknowledged ?? []) q.forget.run(id);
        balance = shown?.balancePoints ?? balance - hold.points;
        if (shown) offlineSpent = shown.offlineSpentPoints;
      } else if (hold) {
        if (hold.mode === 'local' && hold.points > balance)
          throw invalid(
            hold.field,
            `the customer holds ${balance} points, less than the ${hold.points} asked`,
          );
        balance -= hold.points;
        if (hold.mode === 'offline') offlineSpent += hold.points;
      }
      balance += earned.points;
      save({
        ...k,
        balancePoints: balance,
        offlineSpentPoints: offlineSpent,
        asOf: hold?.mode === 'online' ? now().toISOString() : k.asOf,
      });
      return {
        customerId: input.customerId,
        saleId: input.saleId,
        currency: input.currency,
        tier: k.tier,
        earned: earned.points,
        lines: input.lines.map((l, i) => ({ lineNo: l.lineNo, qty: l.qty, points: earned.linePoints[i]! })),
        eligibleNetMinor: earned.eligibleNetMinor,
        burned: hold?.points ?? 0,
        burnValueMinor: input.burn?.valueMinor ?? 0,
        ...(hold?.authId ? { authId: hold.authId } : {}),
        ...(hold?.mode === 'offline' ? { offline: true } : {}),
        balanceAfter: balance,
      };
    },

    settleReturn({ sale, returnId, returnedBefore, returningNow, refundedPoints }) {
      const reversed = pointsToReverse(
        sale.lines.map((l) => ({
          linePoints: l.points,
          qtySold: l.qty,
          qtyReturnedBefore: returnedBefore.get(l.lineNo) ?? 0,
          qtyReturnedNow: returningNow.get(l.lineNo) ?? 0,
        })),
      );
      const k = orBase(sale.customerId);
      const balance = k.balancePoints - reversed + refundedPoints;
      save({ ...k, balancePoints: balance });
      return {
        customerId: sale.customerId,
        returnId,
        saleId: sale.saleId,
        reversed,
        refunded: refundedPoints,
        eligibleNetMinor: sale.earned > 0 ? Math.floor((sale.eligibleNetMinor * reversed) / sale.earned) : 0,
        balanceAfter: balance,
      };
    },
  };
  return api;
}
