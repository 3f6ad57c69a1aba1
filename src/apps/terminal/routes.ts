import { z } from 'zod';
import type { CatalogCache } from '../../catalog/till/index.ts';
import {
  cartSchema,
  errorBody,
  itemSchema,
  parkedCartSchema,
  parkedCartSummarySchema,
  returnableSaleSchema,
  returnResultSchema,
  saleResultSchema,
  shiftClosedResultSchema,
  shiftReportSchema,
  shiftSchema,
  syncStatusSchema,
  terminalInfoSchema,
} from '../../contracts/index.ts';
import { notFound } from '../../core/index.ts';
import type { RefundTo, Register } from '../../sales/till/index.ts';
import { actingUser } from '../../sync/index.ts';
import type { Outbox } from '../../sync/till/index.ts';
import type { App } from '../shared/http.ts';
import {
  cartParams,
  errors,
  lineParams,
  managerPin,
  pinHeader,
  tendersSchema,
  withId,
} from './api-schemas.ts';
import {
  codeText,
  limitedFields,
  MAX_DENOMINATIONS,
  nameText,
  reasonText,
  requiredCode,
} from './edge-fields.ts';
import { registerActionRoutes } from './register-routes.ts';
import { registerSessionRoutes } from './session-routes.ts';

/**
 * The register API a till screen, the CLI and the end-to-end tests drive. Amounts are integer minor
 * units. Quantities and amounts are capped here by the till's limits (a 400 on `body.<field>`) and
 * otherwise checked by the register, so the error names `qty` or `tenders` rather than a schema path. No route takes a card number: the
 * card is read by the payment provider, and tender objects refuse unknown fields.
 */
export function registerRoutes(
  app: App,
  deps: {
    register: Register;
    outbox: Outbox;
    catalog: CatalogCache;
    identity: { storeId: string; terminalId: string; hqUrl: string };
  },
): void {
  const { register, outbox, catalog } = deps;
  const f = limitedFields(register.config.limits);
  registerSessionRoutes(app, register);
  registerActionRoutes(app, register);
  const tags = (t: string) => ({ tags: [t] });

  app.get(
    '/api/v1/terminal',
    {
      schema: {
        ...tags('terminal'),
        summary: 'Who this till is and whether its catalog is loaded',
        response: { 200: terminalInfoSchema },
      },
    },
    async () => ({
      ...deps.identity,
      store: catalog.store() ?? null,
      catalog: {
        loaded: catalog.store() !== undefined,
        products: catalog.count(),
        cursor: catalog.cursor() ?? null,
        lastPullAt: catalog.lastPullAt() ?? null,
      },
    }),
  );

  app.post(
    '/api/v1/shifts',
    {
      schema: {
        ...tags('shifts'),
        summary: 'Open a shift with its opening float; a sale needs an open shift',
        body: z.object({
          cashierId: codeText()
            .optional()
            .describe('ignored when signed in: the cashier is the signed-in user'),
          openingFloatMinor: f.amount(),
        }),
        response: { 201: shiftSchema, ...errors },
      },
    },
    async (req, reply) => {
      const cashierId = actingUser()?.userId ?? req.body.cashierId ?? '';
      return reply.status(201).send(register.openShift({ ...req.body, cashierId }));
    },
  );

  app.get(
    '/api/v1/shifts/current',
    {
      schema: {
        ...tags('shifts'),
        summary: 'The open shift',
        response: { 200: shiftSchema, 404: errorBody },
      },
    },
    async () => {
      const s = register.currentShift();
      if (!s) throw notFound('open shift', 'shift');
      return s;
    },
  );

  app.post(
    '/api/v1/shifts/current/close',
    {
      schema: {
        ...tags('shifts'),
        summary:
          'Close the open shift (a Z report): blind count by denomination in `counted`, or the total in `countedCashMinor`, or neither. Answers with the numbered Z report; 409 when no shift is open.',
        body: z
          .object({
            countedCashMinor: f.amount().optional(),
            counted: z
              .object({
                denominations: z
                  .array(
                    z
                      .object({
                        valueMinor: f.amount().describe('value of one coin or note, minor units'),
                        count: f.amount().describe('how many of them'),
                      })
                      .refine((d) => d.valueMinor * d.count <= register.config.limits.maxAmountMinor, {
                        message: `value × count must be at most ${register.config.limits.maxAmountMinor} (limits.maxAmountMinor in the till's register.json)`,
                        path: ['count'],
                      }),
                  )
                  .max(MAX_DENOMINATIONS, `at most ${MAX_DENOMINATIONS} denominations`),
              })
              .optional(),
          })
          .default({}),
        response: { 200: shiftClosedResultSchema, ...errors },
      },
    },
    async (req) => register.closeShift(req.body ?? {}),
  );

  const drawerBody = z.object({
    amountMinor: f.amount().optional().describe('minor units, above 0'),
    reason: reasonText().optional().describe('required, not empty'),
  });
  const drawerResultSchema = z.object({
    type: z.string(),
    shiftId: z.string(),
    cashierId: z.string(),
    amountMinor: z.number().int().optional(),
    reason: z.string(),
    approvedBy: z.string().optional(),
    seq: z.number().int(),
    occurredAt: z.string(),
  });
  const drawerRoutes = [
    ['cash-drops', 'Take cash from the drawer to the safe, with a reason', register.cashDrop],
    [
      'paid-outs',
      'Pay cash out of the drawer, with a reason; never more than the drawer holds',
      register.paidOut,
    ],
    [
      'no-sale',
      'Open the drawer without a sale, with a reason; logged. Needs a manager (403 approval_required) when the till says so.',
      register.noSale,
    ],
  ] as const;
  for (const [path, summary, action] of drawerRoutes) {
    app.post(
      `/api/v1/shifts/current/${path}`,
      {
        schema: {
          ...tags('shifts'),
          summary,
          headers: pinHeader,
          body: drawerBody.default({}),
          response: { 201: drawerResultSchema, ...errors },
        },
      },
      async (req, reply) =>
        reply.status(201).send(action({ ...(req.body ?? {}), managerPin: managerPin(req) })),
    );
  }

  app.get(
    '/api/v1/shifts/current/x-report',
    {
      schema: {
        ...tags('shifts'),
        summary: 'The open shift so far (an X report); read-only',
        response: { 200: shiftReportSchema, 409: errorBody },
      },
    },
    async () => register.xReport(),
  );

  app.get(
    '/api/v1/items/:code',
    {
      schema: {
        ...tags('items'),
        summary: 'Look up a product by barcode, SKU or PLU, from the local catalog cache',
        params: z.object({ code: requiredCode() }),
        response: { 200: itemSchema, 404: errorBody, 503: errorBody },
      },
    },
    async (req) => register.lookupItem(req.params.code),
  );

  app.post(
    '/api/v1/carts',
    {
      schema: {
        ...tags('carts'),
        summary: 'Start a cart',
        body: z.object({}).nullish(),
        response: { 201: cartSchema, 503: errorBody },
      },
    },
    async (_req, reply) => reply.status(201).send(withId(register.createCart())),
  );

  app.get(
    '/api/v1/carts/:cartId',
    { schema: { ...tags('carts'), params: cartParams, response: { 200: cartSchema, 404: errorBody } } },
    async (req) => withId(register.getCart(req.params.cartId)),
  );

  app.post(
    '/api/v1/carts/:cartId/lines',
    {
      schema: {
        ...tags('carts'),
        summary:
          'Add a product by barcode, SKU or PLU, or an in-store EAN-13 with an embedded price or weight (prefix 2); scanning a plain item again adds to its line. Products sold by weight need weightGrams. Unknown code: 404 on code.',
        params: cartParams,
        body: z.object({
          code: requiredCode(),
          qty: f.qty().default(1).describe('whole number above 0'),
          weightGrams: f.grams().optional().describe('grams on the scale, for products sold by weight'),
        }),
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) =>
      withId(
        register.addLine(req.params.cartId, req.body.code, req.body.qty, {
          ...(req.body.weightGrams !== undefined ? { weightGrams: req.body.weightGrams } : {}),
        }),
      ),
  );

  app.patch(
    '/api/v1/carts/:cartId/lines/:lineNo',
    {
      schema: {
        ...tags('carts'),
        summary: 'Change the quantity of a line',
        params: lineParams,
        body: z.object({ qty: f.qty().describe('whole number above 0') }),
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) => withId(register.changeQty(req.params.cartId, req.params.lineNo, req.body.qty)),
  );

  app.delete(
    '/api/v1/carts/:cartId/lines/:lineNo',
    {
      schema: {
        ...tags('carts'),
        summary:
          'Void a line: removes it from the cart and records cart.line_voided in the ledger (loss prevention). 409 while the cart is parked or being paid.',
        params: lineParams,
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) => withId(register.removeLine(req.params.cartId, req.params.lineNo)),
  );

  app.get(
    '/api/v1/carts',
    {
      schema: {
        ...tags('carts'),
        summary: 'Parked carts, oldest first (only status=parked is supported)',
        querystring: z.object({ status: z.literal('parked') }),
        response: { 200: z.array(parkedCartSummarySchema), ...errors },
      },
    },
    async () => register.parkedCarts(),
  );

  app.post(
    '/api/v1/carts/:cartId/park',
    {
      schema: {
        ...tags('carts'),
        summary:
          'Park the cart: it keeps its lines, survives a restart, and refuses edits and payment (409 on cartId) until resumed',
        params: cartParams,
        body: z.object({ label: nameText().optional().describe('at most 80 characters') }).nullish(),
        response: { 200: parkedCartSchema, ...errors },
      },
    },
    async (req) => withId(register.park(req.params.cartId, req.body?.label)),
  );

  app.post(
    '/api/v1/carts/:cartId/resume',
    {
      schema: {
        ...tags('carts'),
        summary: 'Resume a parked cart so it can be edited and paid again',
        params: cartParams,
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) => withId(register.resume(req.params.cartId)),
  );

  app.post(
    '/api/v1/carts/:cartId/void',
    {
      schema: {
        ...tags('carts'),
        summary:
          'Void the whole sale before payment: records sale.voided with the lines and the reason, and deletes the cart. Reason required (400); 409 while the cart is being paid.',
        params: cartParams,
        body: z.object({ reason: reasonText().optional().describe('required, not empty') }).nullish(),
        response: {
          200: z.object({
            cartId: z.string(),
            grossMinor: z.number().int(),
            seq: z.number().int(),
            occurredAt: z.string(),
          }),
          ...errors,
        },
      },
    },
    async (req) => register.voidSale(req.params.cartId, req.body?.reason),
  );

  app.post(
    '/api/v1/carts/:cartId/complete',
    {
      schema: {
        ...tags('carts'),
        summary:
          'Pay and complete: cards are charged first through the reader, cash covers the rest with change. Answered only after the sale is committed to the ledger; a declined card answers 402 and leaves the cart open. Retrying a completed cart returns the same sale.',
        params: cartParams,
        body: z.object({ tenders: tendersSchema(f) }),
        response: { 200: saleResultSchema, ...errors },
      },
    },
    async (req) => await register.complete(req.params.cartId, req.body.tenders),
  );

  app.get(
    '/api/v1/sales/:saleId/receipt',
    {
      schema: {
        ...tags('sales'),
        summary: 'The receipt of a sale, as text or as ESC/POS printer bytes',
        params: z.object({ saleId: requiredCode() }),
        querystring: z.object({
          format: z.enum(['text', 'escpos']).default('text'),
          copy: z.enum(['true', 'false']).optional().describe('true: a reprint, marked COPY and recorded'),
          gift: z.enum(['true', 'false']).optional().describe('true: a gift receipt without prices'),
        }),
      },
    },
    async (req, reply) => {
      const o = { copy: req.query.copy === 'true', gift: req.query.gift === 'true' };
      if (req.query.format === 'escpos') {
        const bytes = register.receipt(req.params.saleId, 'escpos', o);
        return reply.type('application/octet-stream').send(Buffer.from(bytes));
      }
      return reply.type('text/plain; charset=utf-8').send(register.receipt(req.params.saleId, 'text', o));
    },
  );

  app.get(
    '/api/v1/sales/by-receipt/:receiptNo',
    {
      schema: {
        ...tags('returns'),
        summary:
          'Find a sale of this till by its receipt number (what the receipt barcode carries), with the quantity of each line that can still be returned',
        params: z.object({ receiptNo: requiredCode() }),
        response: { 200: returnableSaleSchema, 404: errorBody },
      },
    },
    async (req) => register.saleByReceipt(req.params.receiptNo),
  );

  app.post(
    '/api/v1/returns',
    {
      schema: {
        ...tags('returns'),
        summary:
          'Return items against a receipt of this till, at the price actually paid. refundTo "original" refunds cards by token (up to what each paid), gift cards and store credit back to their accounts, and the rest in cash; "cash" refunds all in cash; "store_credit" issues a voucher (its code is in storeCreditCode, shown once). Needs an open shift. A unit cannot be returned twice (400 on lines[i].qty). A first card refund that fails answers 402 and records nothing; a later card that fails is listed in failedRefunds and its amount is paid back by the till\'s fallback (store credit or cash), listed in refunds.',
        headers: pinHeader,
        body: z.object({
          receiptNo: codeText().optional().describe('receipt number, as printed and in the barcode'),
          saleId: codeText().optional().describe('or the sale id'),
          lines: f.lines(
            z.object({
              lineNo: f.lineNo().describe('line number on the receipt'),
              qty: f.qty().describe('units to return, whole number above 0'),
            }),
          ),
          refundTo: codeText().default('original').describe('"original", "cash" or "store_credit"'),
          reason: reasonText().optional().describe('required, not empty'),
        }),
        response: { 201: returnResultSchema, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await register.returnItems({
          ...req.body,
          refundTo: req.body.refundTo as RefundTo,
          managerPin: managerPin(req),
        }),
      ),
  );

  app.get(
    '/api/v1/sync/status',
    {
      schema: {
        ...tags('sync'),
        summary: 'What HQ does not hold yet, and why sending stopped if it did',
        response: { 200: syncStatusSchema },
      },
    },
    async () => outbox.status(),
  );

  app.post(
    '/api/v1/sync/flush',
    {
      schema: {
        ...tags('sync'),
        summary: 'Try to send everything now; answers with the status (lastError says why it stopped)',
        response: { 200: syncStatusSchema },
      },
    },
    async () => await outbox.flush(),
  );
}
