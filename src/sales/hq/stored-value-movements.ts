import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { Movement } from '../../stored-value/hq/index.ts';
import { applyMovement } from '../../stored-value/hq/index.ts';
import { type GiftCardSold, SALES_EVENT_TYPES, type SaleCompleted, type SaleReturned } from '../events.ts';

/**
 * What a till event does to stored-value accounts: HQ applies these to its ledger of record. Each
 * movement has a key that is the same every time the event is seen (event id and part, or HQ's
 * authorisation id for an online redemption), which is what makes applying it idempotent.
 */
export function movementsOf(e: EventEnvelope): Movement[] {
  const base = { eventId: e.id, terminalId: e.terminalId };
  switch (e.type) {
    case SALES_EVENT_TYPES.giftCardIssued:
    case SALES_EVENT_TYPES.giftCardLoaded: {
      const p = e.payload as GiftCardSold;
      const kind = e.type === SALES_EVENT_TYPES.giftCardIssued ? 'issue' : 'load';
      return [
        {
          ...base,
          key: `${e.id}:${kind}`,
          accountId: p.accountId,
          accountKind: 'gift_card',
          kind,
          amountMinor: p.amountMinor,
          last4: p.last4,
          currency: p.currency,
          codeHash: p.codeHash,
          offline: false,
        },
      ];
    }
    case SALES_EVENT_TYPES.saleCompleted: {
      const p = e.payload as SaleCompleted;
      return p.tenders.flatMap((t, i): Movement[] =>
        t.kind === 'gift_card' || t.kind === 'store_credit'
          ? [
              {
                ...base,
                // An online redemption was debited by HQ under its authorisation id: the same key.
                key: t.authId ?? `${e.id}:t${i}`,
                accountId: t.accountId,
                accountKind: t.kind,
                kind: 'redeem',
                amountMinor: -t.amountMinor,
                last4: t.last4,
                currency: p.currency,
                codeHash: t.codeHash,
                offline: t.offline === true,
              },
            ]
          : [],
      );
    }
    case SALES_EVENT_TYPES.saleReturned: {
      const p = e.payload as SaleReturned;
      return p.refunds.flatMap((r, i): Movement[] =>
        r.kind === 'gift_card' || r.kind === 'store_credit'
          ? [
              {
                ...base,
                key: `${e.id}:r${i}`,
                accountId: r.accountId,
                accountKind: r.kind,
                kind: 'refund',
                amountMinor: r.amountMinor,
                last4: r.last4,
                currency: p.currency,
                codeHash: r.codeHash,
                offline: false,
              },
            ]
          : [],
      );
    }
    default:
      return [];
  }
}

/** Projection hook for ingest: every stored-value movement in the events, each applied once. */
export async function applyStoredValueProjection(trx: HqDb, events: readonly EventEnvelope[]): Promise<void> {
  for (const e of events) for (const m of movementsOf(e)) await applyMovement(trx, m, true);
}
