import type { EventEnvelope } from '../../core/index.ts';
import { SALES_EVENT_TYPES, saleCompletedSchema, saleReturnedSchema } from '../../sales/index.ts';
import {
  exceptionReviewedSchema,
  reservationConfirmedSchema,
  reservationReleasedSchema,
  stockAdjustedSchema,
  stockCountedSchema,
  stockReceivedSchema,
  stockReservedSchema,
  stockWrittenOffSchema,
  INVENTORY_EVENT_TYPES as T,
  transferReceivedSchema,
  transferShippedSchema,
} from '../events.ts';

/** One location × SKU as the ledger holds it. */
export interface Level {
  storeId: string;
  sku: string;
  onHand: number;
  /** Units held by reservations not yet confirmed, released or swept (expired ones until swept). */
  reserved: number;
  inTransitIn: number;
  inTransitOut: number;
  /** Moving-average unit cost from supplier receipts; null until a receipt carried a cost. */
  avgCostMinor: number | null;
}

export type MovementKind =
  | 'sale'
  | 'return'
  | 'receipt'
  | 'transfer_out'
  | 'transfer_in'
  | 'in_transit'
  | 'adjustment'
  | 'write_off'
  | 'count'
  | 'reservation'
  | 'reservation_confirmed'
  | 'release';

/** One change to one location × SKU; every column of a level is the sum of its movements. */
export interface Movement {
  eventId: string;
  lineNo: number;
  storeId: string;
  sku: string;
  kind: MovementKind;
  onHand: number;
  reserved: number;
  inTransitIn: number;
  inTransitOut: number;
  unitCostMinor: number | null;
  /** Signed value at cost for write-offs and count variances (negative is shrinkage). */
  valueMinor: number | null;
  reason: string | null;
  ref: string | null;
  occurredAt: string;
  businessDate: string;
}

export interface TransferState {
  id: string;
  fromStoreId: string;
  toStoreId: string;
  closed: boolean;
  lines: Map<string, { shipped: number; received: number }>;
}

export interface FoldState {
  levels: Map<string, Level>;
  transfers: Map<string, TransferState>;
}

export interface FoldOutput {
  movements: Movement[];
  /** Keyed by the movement (event id.line) that took on-hand below zero. */
  negatives: { id: string; storeId: string; sku: string; onHand: number; raisedAt: string }[];
  reservations: {
    id: string;
    storeId: string;
    orderId: string | null;
    expiresAt: string;
    createdAt: string;
    lines: { sku: string; qty: number }[];
  }[];
  reservationClosures: { id: string; status: 'confirmed' | 'released' | 'expired'; at: string }[];
  counts: {
    id: string;
    storeId: string;
    kind: string;
    freezeAt: string;
    postedAt: string;
    lines: number;
    shrinkValueMinor: number;
    gainValueMinor: number;
  }[];
  reviews: { id: string; note: string; at: string }[];
  touchedTransfers: Set<string>;
}

export const levelKey = (storeId: string, sku: string): string => `${storeId}\u0000${sku}`;

export const emptyLevel = (storeId: string, sku: string): Level => ({
  storeId,
  sku,
  onHand: 0,
  reserved: 0,
  inTransitIn: 0,
  inTransitOut: 0,
  avgCostMinor: null,
});

/** The event types the inventory ledger folds; everything else passes it by. */
export const INVENTORY_FOLDED_TYPES: ReadonlySet<string> = new Set([
  SALES_EVENT_TYPES.saleCompleted,
  SALES_EVENT_TYPES.saleReturned,
  ...Object.values(T),
]);

/**
 * Decisions only HQ may take: a reservation is granted under HQ's row locks, a count posted with HQ's
 * ledger at the freeze. The same types sent by a till are kept in the log but not folded.
 */
export const HQ_ONLY_TYPES: ReadonlySet<string> = new Set([
  T.stockReserved,
  T.reservationConfirmed,
  T.reservationReleased,
  T.stockCounted,
  T.exceptionReviewed,
]);

/** Whether the ledger folds this event: a type it knows, from a source allowed to send it. */
export const foldsEvent = (e: { type: string; terminalId: string }, hqSourceId: string): boolean =>
  INVENTORY_FOLDED_TYPES.has(e.type) && (e.terminalId === hqSourceId || !HQ_ONLY_TYPES.has(e.type));

/**
 * Every (store, sku) an event can touch, known from its payload alone, so the writer can lock those
 * rows (sorted) before it reads them. Transfers name both ends, so either half can arrive first.
 */
export function touchedKeys(events: readonly EventEnvelope[]): { storeId: string; sku: string }[] {
  const keys = new Map<string, { storeId: string; sku: string }>();
  const add = (storeId: string, sku: string): void => {
    keys.set(levelKey(storeId, sku), { storeId, sku });
  };
  for (const e of events) {
    const p = e.payload as { sku?: unknown; lines?: unknown };
    const skus: string[] = [];
    if (typeof p.sku === 'string') skus.push(p.sku);
    if (Array.isArray(p.lines)) for (const l of p.lines as { sku: string }[]) skus.push(l.sku);
    for (const s of skus) {
      add(e.storeId, s);
      if (e.type === T.transferShipped) add((e.payload as { toStoreId: string }).toStoreId, s);
      if (e.type === T.transferReceived) add((e.payload as { fromStoreId: string }).fromStoreId, s);
    }
  }
  return [...keys.values()].sort((a, b) => cmp(a.storeId, b.storeId) || cmp(a.sku, b.sku));
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Units still on the road for one transfer line: none once the transfer is closed. */
const outstanding = (t: TransferState, sku: string): number => {
  const l = t.lines.get(sku);
  return t.closed || !l ? 0 : Math.max(l.shipped - l.received, 0);
};

/**
 * Applies events, in order, to the levels and transfers in `state` (mutated) and returns the movements
 * and side records they produce. Pure: the caller loads the state and writes the output. On-hand may go
 * below zero (a till sold offline what HQ thought was gone); each time it does, a negative is raised.
 */
export function foldInventory(state: FoldState, events: readonly EventEnvelope[]): FoldOutput {
  const out: FoldOutput = {
    movements: [],
    negatives: [],
    reservations: [],
    reservationClosures: [],
    counts: [],
    reviews: [],
    touchedTransfers: new Set(),
  };
  for (const e of events) {
    let lineNo = 0;
    const level = (storeId: string, sku: string): Level => {
      const k = levelKey(storeId, sku);
      let l = state.levels.get(k);
      if (!l) {
        l = emptyLevel(storeId, sku);
        state.levels.set(k, l);
      }
      return l;
    };
    const move = (
      storeId: string,
      sku: string,
      kind: MovementKind,
      d: Partial<Pick<Movement, 'onHand' | 'reserved' | 'inTransitIn' | 'inTransitOut'>>,
      extra: Partial<Pick<Movement, 'unitCostMinor' | 'valueMinor' | 'reason' | 'ref'>> = {},
    ): void => {
      const l = level(storeId, sku);
      const before = l.onHand;
      l.onHand += d.onHand ?? 0;
      l.reserved += d.reserved ?? 0;
      l.inTransitIn += d.inTransitIn ?? 0;
      l.inTransitOut += d.inTransitOut ?? 0;
      out.movements.push({
        eventId: e.id,
        lineNo: ++lineNo,
        storeId,
        sku,
        kind,
        onHand: d.onHand ?? 0,
        reserved: d.reserved ?? 0,
        inTransitIn: d.inTransitIn ?? 0,
        inTransitOut: d.inTransitOut ?? 0,
        unitCostMinor: extra.unitCostMinor ?? null,
        valueMinor: extra.valueMinor ?? null,
        reason: extra.reason ?? null,
        ref: extra.ref ?? null,
        occurredAt: e.occurredAt,
        businessDate: e.businessDate,
      });
      if ((d.onHand ?? 0) < 0 && l.onHand < 0 && l.onHand < before) {
        out.negatives.push({
          id: `${e.id}.${lineNo}`,
          storeId,
          sku,
          onHand: l.onHand,
          raisedAt: e.occurredAt,
        });
      }
    };
    // Re-derives in-transit from the transfer's lines, so shipment and receipt commute.
    const withTransfer = (id: string, from: string, to: string, skus: string[], change: () => void): void => {
      let t = state.transfers.get(id);
      if (!t) {
        t = { id, fromStoreId: from, toStoreId: to, closed: false, lines: new Map() };
        state.transfers.set(id, t);
      }
      const tr = t;
      const all = [...new Set([...skus, ...tr.lines.keys()])];
      const before = new Map(all.map((s) => [s, outstanding(tr, s)]));
      change();
      for (const s of all) {
        if (!tr.lines.has(s)) tr.lines.set(s, { shipped: 0, received: 0 });
        const delta = outstanding(tr, s) - (before.get(s) ?? 0);
        if (delta === 0) continue;
        move(tr.fromStoreId, s, 'in_transit', { inTransitOut: delta }, { ref: id });
        move(tr.toStoreId, s, 'in_transit', { inTransitIn: delta }, { ref: id });
      }
      out.touchedTransfers.add(id);
    };

    switch (e.type) {
      case SALES_EVENT_TYPES.saleCompleted:
        for (const l of saleCompletedSchema.parse(e.payload).lines)
          move(e.storeId, l.sku, 'sale', { onHand: -l.qty });
        break;
      case SALES_EVENT_TYPES.saleReturned:
        for (const l of saleReturnedSchema.parse(e.payload).lines)
          move(e.storeId, l.sku, 'return', { onHand: l.qty });
        break;
      case T.stockReceived: {
        const p = stockReceivedSchema.parse(e.payload);
        const l = level(e.storeId, p.sku);
        if (p.unitCostMinor !== undefined) {
          const base = Math.max(l.onHand, 0);
          l.avgCostMinor =
            l.avgCostMinor === null || base === 0
              ? p.unitCostMinor
              : Math.round((base * l.avgCostMinor + p.qty * p.unitCostMinor) / (base + p.qty));
        }
        move(
          e.storeId,
          p.sku,
          'receipt',
          { onHand: p.qty },
          { unitCostMinor: p.unitCostMinor ?? null, reason: p.reason, ref: p.reference ?? null },
        );
        break;
      }
      case T.stockAdjusted: {
        const p = stockAdjustedSchema.parse(e.payload);
        move(e.storeId, p.sku, 'adjustment', { onHand: p.qty }, { reason: p.reason });
        break;
      }
      case T.stockWrittenOff: {
        const p = stockWrittenOffSchema.parse(e.payload);
        const cost = p.unitCostMinor ?? level(e.storeId, p.sku).avgCostMinor ?? 0;
        move(
          e.storeId,
          p.sku,
          'write_off',
          { onHand: -p.qty },
          { unitCostMinor: cost, valueMinor: -p.qty * cost, reason: p.reason },
        );
        break;
      }
      case T.transferShipped: {
        const p = transferShippedSchema.parse(e.payload);
        withTransfer(
          p.transferId,
          e.storeId,
          p.toStoreId,
          p.lines.map((l) => l.sku),
          () => {
            const t = state.transfers.get(p.transferId)!;
            for (const l of p.lines) {
              const tl = t.lines.get(l.sku) ?? { shipped: 0, received: 0 };
              tl.shipped += l.qty;
              t.lines.set(l.sku, tl);
              move(e.storeId, l.sku, 'transfer_out', { onHand: -l.qty }, { ref: p.transferId });
            }
          },
        );
        break;
      }
      case T.transferReceived: {
        const p = transferReceivedSchema.parse(e.payload);
        withTransfer(
          p.transferId,
          p.fromStoreId,
          e.storeId,
          p.lines.map((l) => l.sku),
          () => {
            const t = state.transfers.get(p.transferId)!;
            for (const l of p.lines) {
              const tl = t.lines.get(l.sku) ?? { shipped: 0, received: 0 };
              tl.received += l.qty;
              t.lines.set(l.sku, tl);
              if (l.qty > 0) move(e.storeId, l.sku, 'transfer_in', { onHand: l.qty }, { ref: p.transferId });
            }
            if (p.final) t.closed = true;
          },
        );
        break;
      }
      case T.stockReserved: {
        const p = stockReservedSchema.parse(e.payload);
        for (const l of p.lines)
          move(e.storeId, l.sku, 'reservation', { reserved: l.qty }, { ref: p.reservationId });
        out.reservations.push({
          id: p.reservationId,
          storeId: e.storeId,
          orderId: p.orderId ?? null,
          expiresAt: p.expiresAt,
          createdAt: e.occurredAt,
          lines: p.lines,
        });
        break;
      }
      case T.reservationConfirmed: {
        const p = reservationConfirmedSchema.parse(e.payload);
        for (const l of p.lines)
          move(
            e.storeId,
            l.sku,
            'reservation_confirmed',
            { onHand: -l.qty, reserved: -l.qty },
            { ref: p.reservationId },
          );
        out.reservationClosures.push({ id: p.reservationId, status: 'confirmed', at: e.occurredAt });
        break;
      }
      case T.reservationReleased: {
        const p = reservationReleasedSchema.parse(e.payload);
        for (const l of p.lines)
          move(e.storeId, l.sku, 'release', { reserved: -l.qty }, { ref: p.reservationId, reason: p.reason });
        out.reservationClosures.push({
          id: p.reservationId,
          status: p.reason === 'expired' ? 'expired' : 'released',
          at: e.occurredAt,
        });
        break;
      }
      case T.stockCounted: {
        const p = stockCountedSchema.parse(e.payload);
        let shrink = 0;
        let gain = 0;
        for (const l of p.lines) {
          if (l.variance === 0) continue;
          const value = l.variance * l.unitCostMinor;
          if (value < 0) shrink -= value;
          else gain += value;
          move(
            e.storeId,
            l.sku,
            'count',
            { onHand: l.variance },
            { unitCostMinor: l.unitCostMinor, valueMinor: value, ref: p.countId, reason: p.kind },
          );
        }
        out.counts.push({
          id: p.countId,
          storeId: e.storeId,
          kind: p.kind,
          freezeAt: p.freezeAt,
          postedAt: e.occurredAt,
          lines: p.lines.length,
          shrinkValueMinor: shrink,
          gainValueMinor: gain,
        });
        break;
      }
      case T.exceptionReviewed: {
        const p = exceptionReviewedSchema.parse(e.payload);
        out.reviews.push({ id: p.exceptionId, note: p.note, at: e.occurredAt });
        break;
      }
    }
  }
  return out;
}
