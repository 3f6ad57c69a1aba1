import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as contract from '../../contracts/register.ts';
import * as events from '../../sales/events.ts';

/**
 * The register API's sale nouns (src/contracts/register-sale.ts) are written out below the sales
 * module, so the screen can import them. This holds each one to its ledger event minus the money
 * handles, field for field: a field added to an event and not to the contract would silently vanish
 * from the till's answers (the serializer keeps only the contract's fields).
 */
const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' });

const cardTender = events.cardTenderSchema.omit({ token: true });
const storedValueTender = events.storedValueTenderSchema.omit({
  accountId: true,
  authId: true,
  codeHash: true,
});
const publicTender = z.union([
  events.cashTenderSchema,
  cardTender,
  storedValueTender,
  events.exchangeCreditTenderSchema,
  events.loyaltyTenderSchema.omit({ authId: true }),
]);

const pairs: [string, z.ZodType, z.ZodType][] = [
  ['shift opened', contract.shiftOpenedSchema, events.shiftOpenedSchema],
  ['measure', contract.measureSchema, events.measureSchema],
  ['applied discount', contract.appliedDiscountSchema, events.appliedDiscountSchema],
  ['line tax', contract.lineTaxSchema, events.lineTaxSchema],
  ['price override', contract.priceOverrideSchema, events.priceOverrideSchema],
  ['sale line', contract.saleLineSchema, events.saleLineSchema],
  ['applied promotion', contract.appliedPromotionSchema, events.appliedPromotionSchema],
  ['cash tender', contract.cashTenderSchema, events.cashTenderSchema],
  ['card tender', contract.publicCardTenderSchema, cardTender],
  ['stored-value tender', contract.publicStoredValueTenderSchema, storedValueTender],
  ['exchange credit tender', contract.exchangeCreditTenderSchema, events.exchangeCreditTenderSchema],
  ['tender', contract.publicTenderSchema, publicTender],
  ['sale', contract.publicSaleSchema, events.saleCompletedSchema.extend({ tenders: z.array(publicTender) })],
  [
    'refund',
    contract.publicRefundSchema,
    z.discriminatedUnion('kind', [
      events.cardRefundSchema.omit({ token: true }),
      events.cashRefundSchema,
      events.storedValueRefundSchema.omit({ accountId: true, codeHash: true }),
      events.exchangeRefundSchema,
      contract.loyaltyRefundSchema,
    ]),
  ],
  ['failed refund', contract.failedRefundSchema, events.failedRefundSchema],
  [
    'gift card sold',
    contract.publicGiftCardSoldSchema,
    events.giftCardSoldSchema
      .omit({ accountId: true, codeHash: true })
      .extend({ tenders: z.array(publicTender) }),
  ],
  ['cash count', contract.cashCountSchema, events.cashCountSchema],
  ['shift closed', contract.shiftClosedSchema, events.shiftClosedSchema],
];

describe('the register API contract and the ledger events', () => {
  it.each(pairs)('shows every field of the %s event except the money handles', (_, shown, recorded) => {
    expect(json(shown)).toEqual(json(recorded));
  });

  it('never names a money handle', () => {
    const text = JSON.stringify(pairs.map(([, shown]) => json(shown)));
    for (const handle of contract.MONEY_HANDLES) expect(text).not.toContain(`"${handle}"`);
  });
});
