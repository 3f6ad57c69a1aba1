import { z } from 'zod';
import {
  balanceSchema,
  cartSchema,
  customerPointsSchema,
  customerSchema,
  exchangeResultSchema,
  giftCardResultSchema,
  itemSchema,
  managerSchema,
  returnResultSchema,
  TILL_PERMISSIONS,
} from '../../contracts/index.ts';
import { invalid, notFound } from '../../core/index.ts';
import { CONSENT_PURPOSES, customerCreatedSchema } from '../../customers/index.ts';
import type { ManagerApproval, RefundTo, Register } from '../../sales/till/index.ts';
import { registerConfigSchema } from '../../sales/till/index.ts';
import type { App } from '../shared/http.ts';
import { cartParams, errors, managerPin, pinHeader, tendersSchema, withId } from './api-schemas.ts';
import { codeText, limitedFields, nameText, reasonText, requiredCode } from './edge-fields.ts';

/**
 * The register's actions beyond ringing up: search, discounts, price overrides, customers, gift cards
 * and store credit, returns without a receipt, voids after payment and exchanges. Actions a manager
 * must approve answer 403 `approval_required`; the client retries with the headers X-Manager-Id and X-Manager-PIN.
 */
export function registerActionRoutes(app: App, register: Register): void {
  const tags = (t: string) => ({ tags: [t] });
  const limits = register.config.limits;
  const f = limitedFields(limits);
  const returnLinesBody = f.lines(
    z.object({
      lineNo: f.lineNo().describe('line number on the receipt'),
      qty: f.qty().describe('units to return, whole number above 0'),
    }),
  );

  app.get(
    '/api/v1/items',
    {
      schema: {
        ...tags('items'),
        summary:
          'Search the local catalog by name, SKU, GTIN or PLU: exact codes first, then code prefixes, then names with every word',
        querystring: z.object({
          q: nameText().describe('what the cashier typed'),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.array(itemSchema), ...errors },
      },
    },
    async (req) => register.searchItems(req.query.q, req.query.limit),
  );

  app.get(
    '/api/v1/register/config',
    {
      schema: {
        ...tags('terminal'),
        summary:
          'The till’s register settings: approval thresholds, cash rounding, weighed SKUs, return policy',
        response: { 200: registerConfigSchema },
      },
    },
    async () => register.config,
  );

  /** Managing managers always needs a manager, whatever the thresholds say. */
  const asManager = (pin: ManagerApproval | undefined, what: string): string | undefined =>
    register.approvals.check(true, pin, 'managers', what, TILL_PERMISSIONS);

  app.get(
    '/api/v1/managers',
    {
      schema: {
        ...tags('managers'),
        summary: 'The managers who can approve overrides on this till (never their PINs)',
        response: { 200: z.array(managerSchema) },
      },
    },
    async () => register.approvals.managers(),
  );

  app.post(
    '/api/v1/managers',
    {
      schema: {
        ...tags('managers'),
        summary:
          'Add a manager with a 4–8 digit PIN (stored as a scrypt hash); needs an existing manager’s X-Manager-Id and X-Manager-PIN. The first manager of a till that has none is added with X-Setup-Token instead (the token in the till’s data folder, file setup-token).',
        headers: pinHeader.extend({
          'x-setup-token': codeText()
            .optional()
            .describe('the till’s local setup token; only for the first manager'),
        }),
        body: z.object({
          managerId: requiredCode().describe('the local user’s till code'),
          name: nameText(),
          pin: codeText(),
          permissions: z
            .array(z.enum(TILL_PERMISSIONS))
            .max(TILL_PERMISSIONS.length)
            .optional()
            .describe('their till permissions; default all (a manager)'),
        }),
        response: { 201: managerSchema, ...errors },
      },
    },
    async (req, reply) => {
      const setup = req.headers['x-setup-token'];
      if (typeof setup === 'string' && setup !== '' && register.approvals.managers().length === 0)
        return reply.status(201).send(register.approvals.addFirstManager(req.body, setup));
      const by = asManager(managerPin(req), 'adding a manager');
      const m = register.approvals.addManager(req.body);
      req.log.info({ managerId: m.managerId, by }, 'manager added');
      return reply.status(201).send(m);
    },
  );

  app.delete(
    '/api/v1/managers/:managerId',
    {
      schema: {
        ...tags('managers'),
        summary: 'Remove a manager (not the last one); needs a manager’s X-Manager-Id and X-Manager-PIN',
        params: z.object({ managerId: requiredCode() }),
        headers: pinHeader,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      asManager(managerPin(req), 'removing a manager');
      register.approvals.removeManager(req.params.managerId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/carts/:cartId/discounts',
    {
      schema: {
        ...tags('carts'),
        summary:
          'A cashier discount with a reason: on a line (lineNo) or the basket; amountMinor or percent. Over the till’s threshold it answers 403 approval_required; retry with X-Manager-Id and X-Manager-PIN.',
        params: cartParams,
        headers: pinHeader,
        body: z.object({
          lineNo: f.lineNo().int().optional().describe('omit for a basket discount'),
          amountMinor: f.amount().optional(),
          percent: z.number().max(100, 'must be at most 100').optional().describe('0.01–100'),
          reason: reasonText().optional().describe('required'),
        }),
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) =>
      withId(register.addDiscount(req.params.cartId, { ...req.body, managerPin: managerPin(req) })),
  );

  app.delete(
    '/api/v1/carts/:cartId/discounts/:discountId',
    {
      schema: {
        ...tags('carts'),
        summary: 'Take a cashier discount off the cart',
        params: cartParams.extend({ discountId: requiredCode() }),
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) => withId(register.removeDiscount(req.params.cartId, req.params.discountId)),
  );

  // Coupons entered at the till (added with till promotions): the answer lists what each code did.
  const couponCartSchema = cartSchema.extend({
    couponCodes: z.array(z.string()),
    coupons: z.array(
      z.object({
        code: z.string(),
        applied: z.boolean(),
        promotionId: z.string().optional(),
        reason: z.string().optional().describe('why the coupon did nothing'),
      }),
    ),
    promotions: z.array(
      z.object({
        promotionId: z.string(),
        name: z.string(),
        kind: z.string(),
        amountMinor: z.number().int(),
      }),
    ),
  });
  app.post(
    '/api/v1/carts/:cartId/coupons',
    {
      schema: {
        ...tags('carts'),
        summary:
          'Present a coupon code (case-insensitive). The cart is priced with it; `coupons` says whether it applied and, if not, why.',
        params: cartParams,
        body: z.object({ code: codeText().optional().describe('required') }),
        response: { 200: couponCartSchema, ...errors },
      },
    },
    async (req) => withId(register.addCoupon(req.params.cartId, req.body.code)),
  );

  app.delete(
    '/api/v1/carts/:cartId/coupons/:code',
    {
      schema: {
        ...tags('carts'),
        summary: 'Take a coupon code off the cart',
        params: cartParams.extend({ code: requiredCode() }),
        response: { 200: couponCartSchema, ...errors },
      },
    },
    async (req) => withId(register.removeCoupon(req.params.cartId, req.params.code)),
  );

  app.post(
    '/api/v1/carts/:cartId/lines/:lineNo/price',
    {
      schema: {
        ...tags('carts'),
        summary:
          'Override a line’s unit price with a reason; needs a manager (403 approval_required, retry with X-Manager-Id and X-Manager-PIN) unless the till says otherwise',
        params: cartParams.extend({ lineNo: z.coerce.number().int().positive() }),
        headers: pinHeader,
        body: z.object({ unitPriceMinor: f.amount(), reason: reasonText().optional().describe('required') }),
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) =>
      withId(
        register.overridePrice(req.params.cartId, req.params.lineNo, {
          ...req.body,
          managerPin: managerPin(req),
        }),
      ),
  );

  app.put(
    '/api/v1/carts/:cartId/customer',
    {
      schema: {
        ...tags('customers'),
        summary:
          'Attach a customer to the cart by id, phone or email (404 on the field given when nobody matches); the sale event will carry the customer id',
        params: cartParams,
        body: z.object({
          customerId: codeText().optional(),
          phone: codeText().optional(),
          email: nameText().optional(),
        }),
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) => {
      const { customerId, phone, email } = req.body;
      let id = customerId;
      if (!id) {
        const c = register.findCustomer({ ...(phone ? { phone } : {}), ...(email ? { email } : {}) });
        if (!c) throw notFound('customer', phone ? 'phone' : 'email');
        id = c.customerId;
      }
      return withId(register.setCustomer(req.params.cartId, id));
    },
  );

  app.delete(
    '/api/v1/carts/:cartId/customer',
    {
      schema: {
        ...tags('customers'),
        summary: 'Take the customer off the cart',
        params: cartParams,
        response: { 200: cartSchema, ...errors },
      },
    },
    async (req) => withId(register.setCustomer(req.params.cartId, null)),
  );

  app.post(
    '/api/v1/customers',
    {
      schema: {
        ...tags('customers'),
        summary:
          'Register a customer by phone and/or email, with marketing consent (recorded as customer.created); 409 when the phone or email is taken',
        body: customerCreatedSchema.pick({ name: true }).extend({
          name: nameText().optional(),
          phone: codeText().optional(),
          email: nameText().optional(),
          cardNumber: codeText().optional(),
          marketingConsent: z.boolean().optional().describe('default false; both marketing purposes'),
          consents: z
            .object({ marketing_email: z.boolean(), marketing_sms: z.boolean(), analytics: z.boolean() })
            .partial()
            .optional(),
        }),
        response: { 201: customerSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(register.createCustomer(req.body)),
  );

  app.get(
    '/api/v1/customers',
    {
      schema: {
        ...tags('customers'),
        summary:
          'Find a customer by phone, email or loyalty card (normalised: spaces and case do not matter): at this till, else at HQ when it answers (a customer of another store, then cached here); 404 when none',
        querystring: z.object({
          phone: codeText().optional(),
          email: nameText().optional(),
          cardNumber: codeText().optional(),
        }),
        response: { 200: customerSchema, ...errors },
      },
    },
    async (req) => {
      const c = await register.findCustomerAnywhere(req.query);
      if (!c)
        throw notFound('customer', req.query.phone ? 'phone' : req.query.email ? 'email' : 'cardNumber');
      return c;
    },
  );

  app.get(
    '/api/v1/customers/:customerId/points',
    {
      schema: {
        ...tags('customers'),
        summary:
          "A customer's loyalty points, tier and what they would pay: HQ's balance when it answers, else this till's last known one with `asOf`",
        params: z.object({ customerId: codeText() }),
        response: { 200: customerPointsSchema, ...errors },
      },
    },
    async (req) => register.customerPoints(req.params.customerId),
  );

  app.post(
    '/api/v1/customers/:customerId/consents',
    {
      schema: {
        ...tags('customers'),
        summary:
          'Grant or withdraw one consent purpose (marketing_email, marketing_sms, analytics) for a customer, recorded as customer.consent_changed',
        params: z.object({ customerId: codeText() }),
        body: z.object({ purpose: z.enum(CONSENT_PURPOSES), granted: z.boolean() }),
        response: { 200: customerSchema, ...errors },
      },
    },
    async (req) => register.setCustomerConsent(req.params.customerId, req.body.purpose, req.body.granted),
  );

  app.post(
    '/api/v1/gift-cards',
    {
      schema: {
        ...tags('gift cards'),
        summary:
          'Sell (issue) a gift card, paid in cash or by card; give `code` for a pre-printed card or get a new one',
        body: z.object({
          amountMinor: f.giftCardAmount(),
          code: codeText().optional(),
          tenders: tendersSchema(f),
        }),
        response: { 201: giftCardResultSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await register.sellGiftCard({ ...req.body, load: false })),
  );

  /**
   * A card may hold at most maxGiftCardMinor. The balance is HQ's (or the till's last known when HQ is
   * away); a card the till cannot find is left to the load itself, which says so on `code`.
   */
  const refuseOverfullCard = async (code: string, amountMinor: number): Promise<void> => {
    const known = await register.checkBalance(code).catch(() => undefined);
    if (known && known.balanceMinor + amountMinor > limits.maxGiftCardMinor)
      throw invalid(
        'amountMinor',
        `the card ending ${known.last4} holds ${known.balanceMinor}; with ${amountMinor} more it would exceed ${limits.maxGiftCardMinor} (limits.maxGiftCardMinor in the till's register.json)`,
      );
  };
  app.post(
    '/api/v1/gift-cards/load',
    {
      schema: {
        ...tags('gift cards'),
        summary: 'Load (top up) a gift card, paid in cash or by card',
        body: z.object({ code: codeText(), amountMinor: f.giftCardAmount(), tenders: tendersSchema(f) }),
        response: { 201: giftCardResultSchema, ...errors },
      },
    },
    async (req, reply) => {
      await refuseOverfullCard(req.body.code, req.body.amountMinor);
      return reply.status(201).send(await register.sellGiftCard({ ...req.body, load: true }));
    },
  );

  app.post(
    '/api/v1/gift-cards/balance',
    {
      schema: {
        ...tags('gift cards'),
        summary:
          'Balance of a gift card or store-credit voucher from any till of the chain, as HQ knows it (source "hq"), or as this till last knew it when HQ is unreachable (source "till"). The code goes in the body, never in a URL.',
        body: z.object({ code: codeText() }),
        response: { 200: balanceSchema, ...errors },
      },
    },
    async (req) => register.checkBalance(req.body.code),
  );

  const slipQuery = z.object({ format: z.enum(['text', 'escpos']).default('text') });
  const sendSlip = (
    reply: { type(t: string): { send(b: unknown): unknown } },
    format: 'text' | 'escpos',
    render: (f: 'text' | 'escpos') => string | Uint8Array,
  ) =>
    format === 'escpos'
      ? reply.type('application/octet-stream').send(Buffer.from(render('escpos') as Uint8Array))
      : reply.type('text/plain; charset=utf-8').send(render('text'));

  app.get(
    '/api/v1/gift-cards/receipts/:eventId',
    {
      schema: {
        ...tags('gift cards'),
        summary:
          'The slip of a gift card sold or topped up (eventId from the answer), as text or ESC/POS: the card masked to its last 4 digits, the amount, the tenders and the new balance',
        params: z.object({ eventId: requiredCode() }),
        querystring: slipQuery,
      },
    },
    async (req, reply) =>
      sendSlip(reply, req.query.format, (f) =>
        f === 'text'
          ? register.giftCardReceipt(req.params.eventId, 'text')
          : register.giftCardReceipt(req.params.eventId, 'escpos'),
      ),
  );

  app.get(
    '/api/v1/returns/:returnId/receipt',
    {
      schema: {
        ...tags('returns'),
        summary:
          'The refund slip of a return, exchange or void after payment, as text or ESC/POS: the original receipt number, the lines returned at the price paid, tax by rate and where the money went',
        params: z.object({ returnId: requiredCode() }),
        querystring: slipQuery,
      },
    },
    async (req, reply) =>
      sendSlip(reply, req.query.format, (f) =>
        f === 'text'
          ? register.returnReceipt(req.params.returnId, 'text')
          : register.returnReceipt(req.params.returnId, 'escpos'),
      ),
  );

  app.post(
    '/api/v1/returns/without-receipt',
    {
      schema: {
        ...tags('returns'),
        summary:
          'Return items without a receipt: store credit at the lowest price this till sold each at recently (or the shelf price, if lower). Needs a manager (403 approval_required) under the default policy.',
        headers: pinHeader,
        body: z.object({
          lines: f.lines(z.object({ code: codeText().describe('barcode, SKU or PLU'), qty: f.qty() })),
          reason: reasonText().optional().describe('required'),
        }),
        response: { 201: returnResultSchema, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(register.returnWithoutReceipt({ ...req.body, managerPin: managerPin(req) })),
  );

  app.post(
    '/api/v1/sales/:saleId/void',
    {
      schema: {
        ...tags('returns'),
        summary:
          'Void a paid sale: every line not yet returned comes back and the tenders are refunded (as a return with postVoid). Needs a manager (403 approval_required) by default.',
        params: z.object({ saleId: requiredCode() }),
        headers: pinHeader,
        body: z.object({
          reason: reasonText().optional().describe('required'),
          refundTo: codeText().default('original').describe('"original", "cash" or "store_credit"'),
        }),
        response: { 201: returnResultSchema, ...errors },
      },
    },
    async (req, reply) => {
      const pin = managerPin(req);
      return reply.status(201).send(
        await register.voidPaidSale({
          saleId: req.params.saleId,
          refundTo: req.body.refundTo as RefundTo,
          ...(req.body.reason !== undefined ? { reason: req.body.reason } : {}),
          ...(pin !== undefined ? { managerPin: pin } : {}),
        }),
      );
    },
  );

  app.post(
    '/api/v1/exchanges',
    {
      schema: {
        ...tags('returns'),
        summary:
          'Exchange: return lines of a receipt and sell the cart’s new items in one transaction. The returned value pays first (tender exchange_credit); tenders pay a shortfall, refundTo gets a surplus.',
        body: z.object({
          receiptNo: codeText().optional(),
          saleId: codeText().optional(),
          lines: returnLinesBody,
          cartId: codeText().describe('the cart with the new items'),
          tenders: tendersSchema(f).default([]),
          refundTo: codeText().default('original'),
          reason: reasonText().optional().describe('required'),
        }),
        response: { 201: exchangeResultSchema, ...errors },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await register.exchange({ ...req.body, refundTo: req.body.refundTo as RefundTo })),
  );
}
