import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { EventContribution } from '../../sync/index.ts';
import {
  LOYALTY_EVENT_TYPES,
  type LoyaltyReturnPoints,
  type LoyaltySalePoints,
  loyaltyEventKinds,
} from '../loyalty-events.ts';
import { canonicalCustomer } from './canonical-customer.ts';
import { isErased } from './customer-keys.ts';
import { applyPoints, type PointsMovement } from './loyalty-ledger.ts';

/**
 * What a till's loyalty event does to HQ's ledger: each movement keyed by the event and its part (or,
 * for an online burn, HQ's authorisation id, whose debit is then already here), so redelivery and
 * rebuild apply nothing twice. Offline burns and anything else the till already did are applied even
 * below zero (the ledger raises an exception instead).
 */
export function pointsMovementsOf(e: EventEnvelope): PointsMovement[] {
  const base = { eventId: e.id, terminalId: e.terminalId, storeId: e.storeId, at: e.occurredAt };
  switch (e.type) {
    case LOYALTY_EVENT_TYPES.salePoints: {
      const p = e.payload as LoyaltySalePoints;
      const out: PointsMovement[] = [];
      // The burn first: points earned on a sale cannot pay for it, so an offline overdraft shows.
      if (p.burned > 0)
        out.push({
          ...base,
          key: p.authId ?? `${e.id}:burn`,
          customerId: p.customerId,
          kind: 'burn',
          points: -p.burned,
          offline: p.offline === true,
        });
      // The earn carries the spend even when it earns 0 points: spend is what makes the tier.
      if (p.earned > 0 || p.eligibleNetMinor > 0)
        out.push({
          ...base,
          key: `${e.id}:earn`,
          customerId: p.customerId,
          kind: 'earn',
          points: p.earned,
          spendMinor: p.eligibleNetMinor,
        });
      return out;
    }
    case LOYALTY_EVENT_TYPES.returnPoints: {
      const p = e.payload as LoyaltyReturnPoints;
      const out: PointsMovement[] = [];
      if (p.reversed > 0 || p.eligibleNetMinor > 0)
        out.push({
          ...base,
          key: `${e.id}:reverse`,
          customerId: p.customerId,
          kind: 'reverse',
          points: -p.reversed,
          spendMinor: -p.eligibleNetMinor,
        });
      if (p.refunded > 0)
        out.push({
          ...base,
          key: `${e.id}:refund`,
          customerId: p.customerId,
          kind: 'refund',
          points: p.refunded,
        });
      return out;
    }
    default:
      return [];
  }
}

/**
 * A till may still name a merged profile (a cart or cache from before the merge): its points are booked
 * to the survivor, owned by the id named, so an unmerge gives them back to it (merges.ts). Movements for
 * an erased customer are dropped.
 */
export async function applyLoyaltyProjection(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  for (const e of events)
    for (const m of pointsMovementsOf(e)) {
      const customerId = await canonicalCustomer(trx, m.customerId);
      // An erased person's account is gone (erasure.ts); a till that had not heard opens no new one.
      if (await isErased(trx, customerId)) continue;
      await applyPoints(trx, { ...m, customerId, owner: m.customerId }, true);
    }
}

/** Loyalty's part of HQ's event log: its kinds and the ledger (not emptied on rebuild: the record). */
export const loyaltyHqEvents: EventContribution = {
  module: 'customers/loyalty',
  kinds: loyaltyEventKinds,
  projections: [{ name: 'loyalty points', tables: [], apply: applyLoyaltyProjection }],
};
