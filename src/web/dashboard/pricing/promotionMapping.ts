import { type ItemSelector, type PromotionInput, promotionListSchema } from '../../../contracts/index.ts';
import { formatMinor, parseMinor } from '../../../core/money.ts';
import {
  blankForm,
  blankSelector,
  type PromotionForm,
  type SelectorForm,
  type TierForm,
} from './promotionForm.ts';

/**
 * The editor's state ↔ the promotion definition HQ publishes. `toDefinition` also validates with the
 * very schema HQ and the tills use (contracts/promotions.ts), so an error shows beside its field before
 * anything is sent; errors are keyed by the definition's path ("percentBp", "tiers.0.minSpendMinor"),
 * the same names HQ's 400 gives (after `hqFieldPath`).
 */
export type FieldErrors = Record<string, string>;

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const joined = (xs: readonly string[] | undefined): string => (xs ?? []).join(', ');

function selectorOf(f: SelectorForm): ItemSelector {
  const s: ItemSelector = {};
  for (const k of ['skus', 'categoryIds', 'productGroupIds', 'excludeSkus', 'excludeCategoryIds'] as const) {
    const v = list(f[k]);
    if (v.length > 0) s[k] = v;
  }
  return s;
}
const selectorForm = (s: ItemSelector | undefined): SelectorForm => ({
  skus: joined(s?.skus),
  categoryIds: joined(s?.categoryIds),
  productGroupIds: joined(s?.productGroupIds),
  excludeSkus: joined(s?.excludeSkus),
  excludeCategoryIds: joined(s?.excludeCategoryIds),
});
const isEmpty = (s: ItemSelector): boolean => Object.keys(s).length === 0;

/** "10" or "12.5" percent as basis points (1000, 1250); undefined when it is not such a number. */
export function percentToBp(text: string): number | undefined {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
export const bpToPercent = (bp: number): string => String(Number((bp / 100).toFixed(2)));

/** Reads typed values, collecting a message per field instead of stopping at the first. */
class Reader {
  readonly errors: FieldErrors = {};
  constructor(readonly currency: string) {}
  money(text: string, field: string): number | undefined {
    if (text.trim() === '') {
      this.errors[field] = 'required';
      return undefined;
    }
    try {
      return parseMinor(text.trim().replace(',', '.'), this.currency, field);
    } catch (e) {
      this.errors[field] = e instanceof Error ? e.message : 'not an amount';
      return undefined;
    }
  }
  percent(text: string, field: string): number | undefined {
    const bp = percentToBp(text);
    if (bp === undefined) this.errors[field] = 'a percent such as 10 or 12.5';
    return bp;
  }
  whole(text: string, field: string, optional: true): number | undefined;
  whole(text: string, field: string, optional?: false): number;
  whole(text: string, field: string, optional = false): number | undefined {
    if (optional && text.trim() === '') return undefined;
    if (!/^-?\d+$/.test(text.trim())) {
      this.errors[field] = 'a whole number';
      return Number.NaN;
    }
    return Number(text.trim());
  }
}

function kindPart(f: PromotionForm, r: Reader): Record<string, unknown> {
  const target = selectorOf(f.target);
  switch (f.kind) {
    case 'percentOff':
      return { target, percentBp: r.percent(f.percent, 'percentBp') };
    case 'amountOff':
      return { target, amountMinor: r.money(f.amount, 'amountMinor') };
    case 'fixedPrice':
      return { target, priceMinor: r.money(f.price, 'priceMinor') };
    case 'buyXGetY': {
      const get = selectorOf(f.getTarget);
      return {
        buy: { target, qty: r.whole(f.qty, 'buy.qty') },
        get: {
          ...(isEmpty(get) ? {} : { target: get }),
          qty: r.whole(f.getQty, 'get.qty'),
          percentBp: r.percent(f.percent, 'get.percentBp'),
        },
        applyTo: f.applyTo,
      };
    }
    case 'multiBuy':
      return { target, qty: r.whole(f.qty, 'qty'), priceMinor: r.money(f.price, 'priceMinor') };
    case 'mixAndMatch':
      return {
        components: f.components.map((c, i) => ({
          target: selectorOf(c.target),
          qty: r.whole(c.qty, `components.${i}.qty`),
        })),
        priceMinor: r.money(f.price, 'priceMinor'),
      };
    case 'spendThreshold':
      return {
        ...(isEmpty(target) ? {} : { target }),
        basis: f.basis,
        tiers: f.tiers.map((t, i) => ({
          minSpendMinor: r.money(t.minSpend, `tiers.${i}.minSpendMinor`),
          ...(t.mode === 'amount'
            ? { amountOffMinor: r.money(t.value, `tiers.${i}.amountOffMinor`) }
            : { percentOffBp: r.percent(t.value, `tiers.${i}.percentOffBp`) }),
        })),
      };
    case 'basketOff':
      return {
        ...(isEmpty(target) ? {} : { target }),
        ...(f.discountMode === 'amount'
          ? { amountOffMinor: r.money(f.amount, 'amountOffMinor') }
          : { percentOffBp: r.percent(f.percent, 'percentOffBp') }),
      };
  }
}

function scopePart(f: PromotionForm, r: Reader): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const locations: Record<string, string[]> = {};
  if (f.storeIds.length) locations.storeIds = [...f.storeIds];
  if (f.zoneIds.length) locations.zoneIds = [...f.zoneIds];
  if (f.excludeStoreIds.length) locations.excludeStoreIds = [...f.excludeStoreIds];
  if (Object.keys(locations).length) out.locations = locations;
  if (list(f.channels).length) out.channels = list(f.channels);
  const schedule: Record<string, unknown> = {};
  if (f.from.trim()) schedule.from = f.from.trim();
  if (f.to.trim()) schedule.to = f.to.trim();
  if (f.windows.length)
    schedule.windows = f.windows.map((w) => ({
      ...(w.days.length ? { days: [...w.days] } : {}),
      start: w.start,
      end: w.end,
    }));
  if (Object.keys(schedule).length) out.schedule = schedule;
  const audience: Record<string, unknown> = {};
  if (f.membersOnly) audience.membersOnly = true;
  if (list(f.segments).length) audience.segments = list(f.segments);
  if (Object.keys(audience).length) out.audience = audience;
  if (list(f.couponCodes).length) out.couponCodes = list(f.couponCodes);
  const limits: Record<string, number | undefined> = {
    total: r.whole(f.limitTotal, 'limits.total', true),
    perCustomer: r.whole(f.limitPerCustomer, 'limits.perCustomer', true),
    perCart: r.whole(f.limitPerCart, 'limits.perCart', true),
  };
  for (const k of Object.keys(limits)) if (limits[k] === undefined) delete limits[k];
  if (Object.keys(limits).length) out.limits = limits;
  return out;
}

/**
 * The definition the form describes, or the errors keyed by field. Defaults (priority 0, standard
 * stacking) are left out, as a person writing the JSON by hand would.
 */
export function toDefinition(
  f: PromotionForm,
  currency: string,
): { definition: PromotionInput; errors: FieldErrors } | { definition: undefined; errors: FieldErrors } {
  const r = new Reader(currency);
  const priority = r.whole(f.priority || '0', 'priority');
  const raw = {
    id: f.id.trim(),
    name: f.name.trim(),
    kind: f.kind,
    ...(priority !== 0 ? { priority } : {}),
    ...(f.stacking !== 'standard' ? { stacking: f.stacking } : {}),
    ...kindPart(f, r),
    ...scopePart(f, r),
  };
  if (Object.keys(r.errors).length) return { definition: undefined, errors: r.errors };
  // The list schema, so the cross-field rules HQ applies (a grouped kind cannot stack) apply here too.
  const parsed = promotionListSchema.safeParse([raw]);
  if (parsed.success) return { definition: raw as PromotionInput, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.slice(1).map(String).join('.') || 'form';
    errors[key] ??= issue.message;
  }
  return { definition: undefined, errors };
}

const money = (minor: number | undefined, currency: string): string =>
  minor === undefined ? '' : formatMinor(minor, currency);
const bp = (v: number | undefined): string => (v === undefined ? '' : bpToPercent(v));

/** The form showing a published definition, to edit it. */
export function fromDefinition(d: PromotionInput, currency: string): PromotionForm {
  const f = blankForm(d.kind);
  f.id = d.id;
  f.name = d.name;
  f.priority = String(d.priority ?? 0);
  f.stacking = d.stacking ?? 'standard';
  switch (d.kind) {
    case 'percentOff':
      Object.assign(f, { target: selectorForm(d.target), percent: bp(d.percentBp) });
      break;
    case 'amountOff':
      Object.assign(f, { target: selectorForm(d.target), amount: money(d.amountMinor, currency) });
      break;
    case 'fixedPrice':
      Object.assign(f, { target: selectorForm(d.target), price: money(d.priceMinor, currency) });
      break;
    case 'buyXGetY':
      Object.assign(f, {
        target: selectorForm(d.buy.target),
        qty: String(d.buy.qty),
        getTarget: selectorForm(d.get.target),
        getQty: String(d.get.qty),
        percent: bp(d.get.percentBp ?? 10_000),
        applyTo: d.applyTo ?? 'cheapest',
      });
      break;
    case 'multiBuy':
      Object.assign(f, {
        target: selectorForm(d.target),
        qty: String(d.qty),
        price: money(d.priceMinor, currency),
      });
      break;
    case 'mixAndMatch':
      f.components = d.components.map((c) => ({ target: selectorForm(c.target), qty: String(c.qty ?? 1) }));
      f.price = money(d.priceMinor, currency);
      break;
    case 'spendThreshold':
      f.target = selectorForm(d.target);
      f.basis = d.basis ?? 'net';
      f.tiers = d.tiers.map(
        (t): TierForm =>
          t.amountOffMinor !== undefined
            ? {
                minSpend: money(t.minSpendMinor, currency),
                mode: 'amount',
                value: money(t.amountOffMinor, currency),
              }
            : { minSpend: money(t.minSpendMinor, currency), mode: 'percent', value: bp(t.percentOffBp) },
      );
      break;
    case 'basketOff':
      f.target = selectorForm(d.target);
      f.discountMode = d.amountOffMinor !== undefined ? 'amount' : 'percent';
      f.amount = money(d.amountOffMinor, currency);
      f.percent = bp(d.percentOffBp);
      break;
  }
  f.storeIds = [...(d.locations?.storeIds ?? [])];
  f.zoneIds = [...(d.locations?.zoneIds ?? [])];
  f.excludeStoreIds = [...(d.locations?.excludeStoreIds ?? [])];
  f.channels = joined(d.channels);
  f.from = d.schedule?.from ?? '';
  f.to = d.schedule?.to ?? '';
  f.windows = (d.schedule?.windows ?? []).map((w) => ({
    days: [...(w.days ?? [])],
    start: w.start,
    end: w.end,
  }));
  f.membersOnly = d.audience?.membersOnly ?? false;
  f.segments = joined(d.audience?.segments);
  f.couponCodes = joined(d.couponCodes);
  f.limitTotal = d.limits?.total === undefined ? '' : String(d.limits.total);
  f.limitPerCustomer = d.limits?.perCustomer === undefined ? '' : String(d.limits.perCustomer);
  f.limitPerCart = d.limits?.perCart === undefined ? '' : String(d.limits.perCart);
  return f;
}

/** HQ's field ("promotions.0.percentBp" after api.ts's normalizing) as the form's key ("percentBp"). */
export const hqFieldPath = (field: string | undefined): string | undefined =>
  field?.replace(/^(draftPromotions|promotions)\.\d+\.?/, '') || undefined;

/** The first error at a field or inside it ("target" finds "target.skus"). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path] !== undefined) return errors[path];
  const inner = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return inner === undefined ? undefined : `${inner.slice(path.length + 1)}: ${errors[inner]}`;
}

export { blankSelector };
