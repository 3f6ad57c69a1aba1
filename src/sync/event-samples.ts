import type { EventEnvelope } from '../core/event.ts';
import { newId } from '../core/ids.ts';
import { INVENTORY_EVENT_TYPES } from '../inventory/events.ts';
import { SALES_EVENT_TYPES } from '../sales/events.ts';
import { returnEvent, saleEvent } from './ingest-fixtures.ts';
import { payloadSchemas } from './payload-schemas.ts';

/**
 * Test fixtures: one valid event of every type HQ knows, as a till (or HQ) writes it. The rules' class
 * tests mutate these (hostile text, numbers and card data in every field), so a test that loops over
 * `sampleEvents()` covers a new event type as soon as its sample is added here, and fails until it is.
 */
const SHIFT = '0195a000-0000-7000-8000-000000000001';
const ACCOUNT = '0195a000-0000-7000-8000-0000000000a1';
const HASH = 'a'.repeat(64);

export const sampleTill = { terminalId: 'T1', storeId: 'S1' };

function envelope(type: string, payload: Record<string, unknown>, at: Date): EventEnvelope {
  return {
    id: newId(),
    type,
    schemaVersion: 1,
    storeId: sampleTill.storeId,
    terminalId: sampleTill.terminalId,
    seq: 1,
    businessDate: at.toISOString().slice(0, 10),
    occurredAt: at.toISOString(),
    payload,
  };
}

/** One valid event per known type, dated `at` (HQ's clock in the test). */
export function sampleEvents(at = new Date()): EventEnvelope[] {
  const day = at.toISOString().slice(0, 10);
  const sale = saleEvent(
    sampleTill,
    1,
    [
      { sku: 'SKU1', qty: 2, unitPriceMinor: 119, taxRateBp: 1900 },
      { sku: 'SKU2', qty: 1, unitPriceMinor: 500, taxRateBp: 700 },
    ],
    { businessDate: day, occurredAt: at.toISOString() },
  );
  const gross = sale.payload.grossMinor;
  sale.payload.tenders = [
    {
      kind: 'card',
      amountMinor: 300,
      provider: 'simulated',
      approvalCode: 'A1B2C3',
      token: 'sim_1_abc',
      maskedPan: '************4242',
      brand: 'visa',
    },
    { kind: 'cash', amountMinor: gross - 300, tenderedMinor: 1_000, changeMinor: 1_000 - (gross - 300) },
  ];
  const giftCard = (type: string) =>
    envelope(
      type,
      {
        accountId: ACCOUNT,
        last4: '4242',
        currency: 'EUR',
        amountMinor: 2_500,
        balanceMinor: 2_500,
        shiftId: SHIFT,
        cashierId: 'ana',
        tenders: [{ kind: 'cash', amountMinor: 2_500, tenderedMinor: 5_000, changeMinor: 2_500 }],
        codeHash: HASH,
      },
      at,
    );
  const line = { sku: 'SKU1', qty: 3 };
  const samples: EventEnvelope[] = [
    sale,
    returnEvent(sale, 2, 1, 1),
    envelope(
      SALES_EVENT_TYPES.shiftOpened,
      { shiftId: SHIFT, cashierId: 'ana', openingFloatMinor: 10_000, currency: 'EUR' },
      at,
    ),
    envelope(
      SALES_EVENT_TYPES.shiftClosed,
      {
        shiftId: SHIFT,
        cashierId: 'ana',
        currency: 'EUR',
        openingFloatMinor: 10_000,
        salesCount: 3,
        grossMinor: 1_238,
        cashSalesMinor: 938,
        cardSalesMinor: 300,
        expectedCashMinor: 10_938,
        countedCashMinor: 10_930,
        differenceMinor: -8,
        counted: {
          denominations: [
            { valueMinor: 5_000, count: 2 },
            { valueMinor: 10, count: 93 },
          ],
        },
        zNumber: 7,
      },
      at,
    ),
    envelope(
      SALES_EVENT_TYPES.cashDrop,
      { shiftId: SHIFT, cashierId: 'ana', amountMinor: 20_000, reason: 'to the safe' },
      at,
    ),
    envelope(
      SALES_EVENT_TYPES.paidOut,
      { shiftId: SHIFT, cashierId: 'ana', amountMinor: 450, reason: 'milk for the staff room' },
      at,
    ),
    envelope(
      SALES_EVENT_TYPES.noSale,
      { shiftId: SHIFT, cashierId: 'ana', reason: 'change for the market', approvedBy: 'M1' },
      at,
    ),
    envelope(
      SALES_EVENT_TYPES.cartLineVoided,
      { cartId: 'cart-1', lineNo: 2, sku: 'SKU2', qty: 1, grossMinor: 500, cashierId: 'ana', shiftId: SHIFT },
      at,
    ),
    envelope(
      SALES_EVENT_TYPES.saleVoided,
      {
        cartId: 'cart-2',
        lines: [{ lineNo: 1, sku: 'SKU1', qty: 2, grossMinor: 238 }],
        grossMinor: 238,
        reason: 'customer left',
        currency: 'EUR',
        cashierId: 'ana',
        shiftId: SHIFT,
      },
      at,
    ),
    giftCard(SALES_EVENT_TYPES.giftCardIssued),
    giftCard(SALES_EVENT_TYPES.giftCardLoaded),
    envelope(
      SALES_EVENT_TYPES.receiptReprinted,
      {
        saleId: sale.payload.saleId,
        receiptNo: sale.payload.receiptNo,
        gift: true,
        cashierId: 'ana',
        shiftId: SHIFT,
      },
      at,
    ),
    envelope(
      'payment.card_reversed',
      {
        attemptId: '0195a000-0000-7000-8000-0000000000c1',
        cartId: '0195a000-0000-7000-8000-0000000000c2',
        tenderIndex: 0,
        amountMinor: 1299,
        currency: 'EUR',
        provider: 'simulated',
        token: 'sim_0195a000-0000-7000-8000-0000000000c3',
        approvalCode: 'A12345',
        maskedPan: '************4242',
        brand: 'visa',
        reason: 'the till stopped before the sale was recorded',
        shiftId: SHIFT,
        cashierId: 'ana',
      },
      at,
    ),
    envelope(
      'customer.created',
      {
        customerId: newId(),
        phone: '+4915112345678',
        email: 'ann@example.com',
        name: 'Ann Lee',
        marketingConsent: true,
        consentAt: at.toISOString(),
      },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.stockReceived,
      {
        sku: 'SKU1',
        qty: 48,
        reason: 'delivery',
        unitCostMinor: 60,
        supplier: 'Acme Foods',
        reference: 'DN-1',
      },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.stockAdjusted,
      { sku: 'SKU1', qty: -2, reason: 'correction', note: 'miscounted' },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.stockWrittenOff,
      { sku: 'SKU1', qty: 1, reason: 'damaged', unitCostMinor: 60, note: 'dropped' },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.transferShipped,
      { transferId: 'TR-1', toStoreId: 'S2', lines: [line] },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.transferReceived,
      { transferId: 'TR-2', fromStoreId: 'S2', lines: [line], final: true },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.stockReserved,
      { reservationId: 'R-1', orderId: 'O-1', expiresAt: at.toISOString(), lines: [line] },
      at,
    ),
    envelope(INVENTORY_EVENT_TYPES.reservationConfirmed, { reservationId: 'R-1', lines: [line] }, at),
    envelope(
      INVENTORY_EVENT_TYPES.reservationReleased,
      { reservationId: 'R-2', reason: 'expired', lines: [line] },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.stockCounted,
      {
        countId: 'C-1',
        kind: 'cycle',
        freezeAt: at.toISOString(),
        lines: [{ sku: 'SKU1', countedQty: 10, expectedQty: 12, variance: -2, unitCostMinor: 60 }],
      },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.stockCountTaken,
      { countId: 'C-2', kind: 'cycle', freezeAt: at.toISOString(), lines: [{ sku: 'SKU1', countedQty: 10 }] },
      at,
    ),
    envelope(
      INVENTORY_EVENT_TYPES.exceptionReviewed,
      { exceptionId: 'X-1', note: 'checked with the driver' },
      at,
    ),
  ];
  return samples.map((e, i) => ({ ...e, seq: i + 1 }));
}

/** Every event type HQ knows, for tests that assert each has a sample. */
export const knownEventTypes = (): string[] => Object.keys(payloadSchemas);

/** An event of a type HQ does not know (a newer till), stored as it comes once it passes the rules. */
export function unknownTypeEvent(payload: Record<string, unknown>, at = new Date()): EventEnvelope {
  return envelope('loyalty.points_earned', payload, at);
}
