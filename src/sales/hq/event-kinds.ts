import { type EventContribution, type EventKind, resetToBase } from '../../sync/index.ts';
import { authEventSchemas } from '../auth-events.ts';

import {
  cartLineVoidedSchema,
  drawerCashDropSchema,
  drawerNoSaleSchema,
  drawerPaidOutSchema,
  type GiftCardSold,
  giftCardSoldSchema,
  receiptReprintedSchema,
  type SaleCompleted,
  type SaleReturned,
  type SaleVoided,
  saleCompletedSchema,
  saleReturnedSchema,
  saleVoidedSchema,
  shiftClosedSchema,
  shiftOpenedSchema,
  SALES_EVENT_TYPES as T,
} from '../events.ts';
import { applySalesDailyProjection } from './facts-projection.ts';
import { promotionFactsProjection, promotionUsesProjection } from './promotion-projection.ts';
import { giftCardProblem, returnProblem, saleProblem, voidProblem } from './sale-arithmetic.ts';
import { applyStoredValueProjection } from './stored-value-movements.ts';
import { tillAuditProjection } from './till-audit-projection.ts';

/**
 * What sales tells HQ's event log: the till's sales, drawer and shift events with their schemas and
 * the arithmetic a money document must satisfy (sale-arithmetic.ts), and the projections sales owns
 * (daily sales facts; the stored-value movements of gift card sales and card tenders).
 */
const tillLine = { qty: 'till line' } as const;

const v1 = (schema: EventKind['schemas'][number], more: Omit<EventKind, 'schemas'> = {}): EventKind => ({
  schemas: { 1: schema },
  ...more,
});

export const salesEvents: EventContribution = {
  module: 'sales',
  kinds: {
    ...Object.fromEntries(Object.entries(authEventSchemas).map(([type, schema]) => [type, v1(schema)])),
    [T.saleCompleted]: v1(saleCompletedSchema, {
      bounds: tillLine,
      check: (p) => saleProblem(p as SaleCompleted),
    }),
    [T.shiftOpened]: v1(shiftOpenedSchema),
    [T.shiftClosed]: v1(shiftClosedSchema),
    [T.saleReturned]: v1(saleReturnedSchema, {
      bounds: tillLine,
      check: (p) => returnProblem(p as SaleReturned),
    }),
    [T.cashDrop]: v1(drawerCashDropSchema),
    [T.paidOut]: v1(drawerPaidOutSchema),
    [T.noSale]: v1(drawerNoSaleSchema),
    [T.cartLineVoided]: v1(cartLineVoidedSchema, { bounds: tillLine }),
    [T.saleVoided]: v1(saleVoidedSchema, { bounds: tillLine, check: (p) => voidProblem(p as SaleVoided) }),
    [T.giftCardIssued]: v1(giftCardSoldSchema, {
      bounds: { topLevelMinor: 'gift card' },
      check: (p) => giftCardProblem(p as GiftCardSold),
    }),
    [T.giftCardLoaded]: v1(giftCardSoldSchema, {
      bounds: { topLevelMinor: 'gift card' },
      check: (p) => giftCardProblem(p as GiftCardSold),
    }),
    [T.receiptReprinted]: v1(receiptReprintedSchema),
  },
  projections: [
    {
      name: 'daily sales facts',
      tables: ['sales_daily'],
      // Keeps what was imported rather than logged (see projection-base.ts): only the log's part goes.
      reset: (trx) => resetToBase(trx, 'sales_daily'),
      apply: applySalesDailyProjection,
    },
    // The ledger of record, not a view: a rebuild keeps it, and replaying finds every movement key taken.
    { name: 'stored-value movements', tables: [], apply: applyStoredValueProjection },
    // Append-only as well: privileged till actions in HQ's audit log, each event once.
    tillAuditProjection,
    promotionUsesProjection,
    promotionFactsProjection,
  ],
};
