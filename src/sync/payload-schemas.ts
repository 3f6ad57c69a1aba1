import type { z } from 'zod';
import { CUSTOMER_EVENT_TYPES, customerCreatedSchema } from '../customers/events.ts';
import { inventoryPayloadSchemas } from '../inventory/events.ts';
import { cardReversedSchema, PAYMENT_EVENT_TYPES } from '../payments/events.ts';
import {
  cartLineVoidedSchema,
  drawerCashDropSchema,
  drawerNoSaleSchema,
  drawerPaidOutSchema,
  giftCardSoldSchema,
  receiptReprintedSchema,
  SALES_EVENT_TYPES,
  saleCompletedSchema,
  saleReturnedSchema,
  saleVoidedSchema,
  shiftClosedSchema,
  shiftOpenedSchema,
} from '../sales/events.ts';

/**
 * Payload schemas of the event types HQ understands, by type and schema version. Ingest refuses a
 * known type whose payload does not match, so projections never meet an event they cannot apply.
 * Types not listed are stored as they come (a newer till may know more) and projected by nobody.
 */
export const payloadSchemas: Record<string, Record<number, z.ZodType>> = {
  [SALES_EVENT_TYPES.saleCompleted]: { 1: saleCompletedSchema },
  [SALES_EVENT_TYPES.shiftOpened]: { 1: shiftOpenedSchema },
  [SALES_EVENT_TYPES.shiftClosed]: { 1: shiftClosedSchema },
  [SALES_EVENT_TYPES.saleReturned]: { 1: saleReturnedSchema },
  [SALES_EVENT_TYPES.cashDrop]: { 1: drawerCashDropSchema },
  [SALES_EVENT_TYPES.paidOut]: { 1: drawerPaidOutSchema },
  [SALES_EVENT_TYPES.noSale]: { 1: drawerNoSaleSchema },
  [SALES_EVENT_TYPES.cartLineVoided]: { 1: cartLineVoidedSchema },
  [SALES_EVENT_TYPES.saleVoided]: { 1: saleVoidedSchema },
  [SALES_EVENT_TYPES.giftCardIssued]: { 1: giftCardSoldSchema },
  [SALES_EVENT_TYPES.giftCardLoaded]: { 1: giftCardSoldSchema },
  [SALES_EVENT_TYPES.receiptReprinted]: { 1: receiptReprintedSchema },
  [CUSTOMER_EVENT_TYPES.customerCreated]: { 1: customerCreatedSchema },
  [PAYMENT_EVENT_TYPES.cardReversed]: { 1: cardReversedSchema },
  ...inventoryPayloadSchemas,
};
