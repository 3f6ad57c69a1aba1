import type { LoyaltyProgramme } from '../contracts/index.ts';
import { utcOffset } from '../core/index.ts';
import {
  type ConsentChanged,
  CUSTOMER_CREATED_VERSION,
  CUSTOMER_EVENT_TYPES,
  type CustomerCreatedV2,
  earnPoints,
  LOYALTY_EVENT_TYPES,
  type LoyaltySalePoints,
  normalizeCardNumber,
  normalizeEmail,
  sealPii,
  tierFor,
  tillPhone,
  twelveMonthSpend,
} from '../customers/index.ts';
import { lineAmounts } from '../pricing/index.ts';
import { SALES_EVENT_TYPES, type SaleCompleted } from '../sales/index.ts';
import type { DemoPerson } from './demo-people.ts';
import type { DemoConsentChange, DemoVisit } from './demo-visits.ts';

/**
 * The demo's customers as the events their stores' tills would have written: customer.created v2 with
 * the personal fields sealed under each customer's own data key (the key itself goes to HQ beside the
 * log, as tills hand it over), sale.completed naming the customer, loyalty.sale_points when the
 * programme is on, and consent changes. Seq, terminal and receipt number are given by the seeder, which
 * orders each till's events by time.
 */

export interface DemoEventDraft {
  /** Epoch ms: the till's clock when it wrote the event. */
  at: number;
  businessDate: string;
  storeId: string;
  type: string;
  schemaVersion: number;
  payload: Record<string, unknown>;
}

export interface DemoProductInfo {
  sku: string;
  name: string;
  priceMinor: number;
  taxRateBp: number;
  categoryId: string | null;
}

export interface DemoCustomerIds {
  customerId: string;
  /** The data key (32 random bytes): made fresh, never seeded, as a till makes it. */
  key: string;
}

/** The instant of a store-local minute on a date (opening hours, so never in a DST gap). */
export function localInstant(date: string, minute: number, timeZone: string): number {
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  const guess = new Date(`${date}T${hh}:${mm}:00Z`);
  return Date.parse(`${date}T${hh}:${mm}:00${utcOffset(guess, timeZone)}`);
}

export function createdEvent(p: DemoPerson, ids: DemoCustomerIds, timeZone: string): DemoEventDraft {
  const at = localInstant(p.registeredOn, p.registeredAtMinute, timeZone);
  const payload: CustomerCreatedV2 = {
    customerId: ids.customerId,
    storeId: p.storeId,
    pii: sealPii(ids.key, ids.customerId, {
      // As a German till stores them: phone in E.164, email lower-cased, card without its dash.
      ...(p.phone ? { phone: tillPhone(p.phone, 'DE') } : {}),
      ...(p.email ? { email: normalizeEmail(p.email) } : {}),
      name: p.name,
      ...(p.cardNumber ? { cardNumber: normalizeCardNumber(p.cardNumber) } : {}),
    }),
    consents: p.consents,
    at: new Date(at).toISOString(),
  };
  return {
    at,
    businessDate: p.registeredOn,
    storeId: p.storeId,
    type: CUSTOMER_EVENT_TYPES.customerCreated,
    schemaVersion: CUSTOMER_CREATED_VERSION,
    payload,
  };
}

export function consentEvent(c: DemoConsentChange, customerId: string, timeZone: string): DemoEventDraft {
  const at = localInstant(c.date, c.minute, timeZone);
  const payload: ConsentChanged = {
    customerId,
    purpose: c.purpose,
    granted: c.granted,
    at: new Date(at).toISOString(),
    channel: 'till',
    storeId: c.storeId,
  };
  return {
    at,
    businessDate: c.date,
    storeId: c.storeId,
    type: CUSTOMER_EVENT_TYPES.consentChanged,
    schemaVersion: 1,
    payload,
  };
}

/** One customer's points as their till kept them: balance and the spend that sets the tier. */
export interface DemoPoints {
  balance: number;
  spends: { at: string; spendMinor: number }[];
}

export interface SaleIds {
  saleId: string;
  shiftId: string;
  /** Deterministic draws for the tender (card or cash, approval code). */
  random: () => number;
}

/**
 * A visit as its sale event and, once the programme is on (`loyaltyFrom`), the points event the till
 * writes in the same transaction (earned on net spend at the tier of the customer's last 365 days).
 */
export function saleEvents(
  v: DemoVisit,
  customerId: string,
  products: ReadonlyMap<string, DemoProductInfo>,
  ids: SaleIds,
  o: { timeZone: string; programme: LoyaltyProgramme; points: DemoPoints; loyaltyFrom: string },
): DemoEventDraft[] {
  const at = localInstant(v.date, v.minute, o.timeZone);
  const lines = v.lines.map((l, i) => {
    const p = products.get(l.sku)!;
    const amounts = lineAmounts(
      { unitPriceMinor: p.priceMinor, qty: l.qty, taxRateBp: p.taxRateBp },
      { inclusive: true },
    );
    return {
      lineNo: i + 1,
      sku: p.sku,
      name: p.name,
      qty: l.qty,
      unitPriceMinor: p.priceMinor,
      taxRateBp: p.taxRateBp,
      ...amounts,
      ...(p.categoryId ? { categoryIds: [p.categoryId] } : {}),
    };
  });
  const sum = (k: 'netMinor' | 'taxMinor' | 'grossMinor') => lines.reduce((s, l) => s + l[k], 0);
  const grossMinor = sum('grossMinor');
  const r = ids.random;
  const card = r() < 0.62;
  const tendered = Math.ceil(grossMinor / 500) * 500;
  const sale: SaleCompleted = {
    saleId: ids.saleId,
    // Replaced by the seeder once the till's seq is known.
    receiptNo: 'pending',
    shiftId: ids.shiftId,
    cashierId: 'k2',
    currency: 'EUR',
    taxInclusive: true,
    lines,
    netMinor: sum('netMinor'),
    taxMinor: sum('taxMinor'),
    grossMinor,
    tenders: [
      card
        ? {
            kind: 'card',
            amountMinor: grossMinor,
            provider: 'simulated',
            approvalCode: String(100_000 + Math.floor(r() * 900_000)),
            token: `tok_demo_${ids.saleId.replaceAll('-', '').slice(-16)}`,
            maskedPan: '************4242',
            brand: r() < 0.7 ? 'girocard' : 'visa',
          }
        : {
            kind: 'cash',
            amountMinor: grossMinor,
            tenderedMinor: tendered,
            changeMinor: tendered - grossMinor,
          },
    ],
    customerId,
  };
  const base = { at, businessDate: v.date, storeId: v.storeId, schemaVersion: 1 };
  const out: DemoEventDraft[] = [
    { ...base, type: SALES_EVENT_TYPES.saleCompleted, payload: sale as unknown as Record<string, unknown> },
  ];
  if (!o.programme.enabled || v.date < o.loyaltyFrom) return out;
  const atIso = new Date(at).toISOString();
  const tier = tierFor(o.programme.tiers, twelveMonthSpend(o.points.spends, new Date(at)));
  const earned = earnPoints(o.programme, {
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      qty: l.qty,
      netMinor: l.netMinor,
      categoryIds: l.categoryIds,
    })),
    currency: 'EUR',
    storeId: v.storeId,
    tierMultiplierBp: tier.multiplierBp,
    grossMinor,
    paidWithPointsMinor: 0,
  });
  o.points.balance += earned.points;
  o.points.spends.push({ at: atIso, spendMinor: earned.eligibleNetMinor });
  const points: LoyaltySalePoints = {
    customerId,
    saleId: ids.saleId,
    currency: 'EUR',
    tier: tier.name,
    earned: earned.points,
    lines: lines.map((l, i) => ({ lineNo: l.lineNo, qty: l.qty, points: earned.linePoints[i]! })),
    eligibleNetMinor: earned.eligibleNetMinor,
    burned: 0,
    burnValueMinor: 0,
    balanceAfter: o.points.balance,
  };
  out.push({
    ...base,
    type: LOYALTY_EVENT_TYPES.salePoints,
    payload: points as unknown as Record<string, unknown>,
  });
  return out;
}
