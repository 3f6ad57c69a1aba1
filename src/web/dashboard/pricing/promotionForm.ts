import type { PromotionKind, weekdays } from '../../../contracts/index.ts';

/**
 * The promotion editor's state: every field as the person types it (text, ticks), one shape for all
 * kinds. Which fields a kind shows is `KIND_FIELDS`; promotionMapping.ts turns the state into the
 * definition HQ publishes and back.
 */
export type Weekday = (typeof weekdays)[number];

/** Which items: comma-separated ids, as typed. Empty everywhere = every item. */
export interface SelectorForm {
  skus: string;
  categoryIds: string;
  productGroupIds: string;
  excludeSkus: string;
  excludeCategoryIds: string;
}
export interface TierForm {
  minSpend: string;
  mode: 'amount' | 'percent';
  value: string;
}
export interface WindowForm {
  days: Weekday[];
  start: string;
  end: string;
}
export interface ComponentForm {
  target: SelectorForm;
  qty: string;
}

export interface PromotionForm {
  id: string;
  name: string;
  kind: PromotionKind;
  priority: string;
  stacking: 'standard' | 'stackable' | 'exclusive';
  /** The items of percentOff, amountOff, fixedPrice, multiBuy, spendThreshold, basketOff; the "buy" items of buyXGetY. */
  target: SelectorForm;
  /** percentOff's percent, basketOff's percent, buyXGetY's discount on the "get" units. */
  percent: string;
  /** amountOff's amount per unit, basketOff's amount off. */
  amount: string;
  /** fixedPrice's unit price, multiBuy's and mixAndMatch's set price. */
  price: string;
  /** multiBuy's set size, buyXGetY's "buy" quantity. */
  qty: string;
  getTarget: SelectorForm;
  getQty: string;
  applyTo: 'cheapest' | 'mostExpensive';
  components: ComponentForm[];
  basis: 'net' | 'list';
  tiers: TierForm[];
  /** basketOff: an amount or a percent. */
  discountMode: 'amount' | 'percent';
  storeIds: string[];
  zoneIds: string[];
  excludeStoreIds: string[];
  channels: string;
  from: string;
  to: string;
  windows: WindowForm[];
  membersOnly: boolean;
  segments: string;
  couponCodes: string;
  limitTotal: string;
  limitPerCustomer: string;
  limitPerCart: string;
}

export type KindField =
  | 'target'
  | 'percent'
  | 'amount'
  | 'price'
  | 'qty'
  | 'get'
  | 'applyTo'
  | 'components'
  | 'basis'
  | 'tiers'
  | 'discountMode';

/** The fields each kind the engine supports (contracts/promotions.ts) shows, besides scope and limits. */
export const KIND_FIELDS: Record<PromotionKind, readonly KindField[]> = {
  percentOff: ['target', 'percent'],
  amountOff: ['target', 'amount'],
  fixedPrice: ['target', 'price'],
  buyXGetY: ['target', 'qty', 'get', 'percent', 'applyTo'],
  multiBuy: ['target', 'qty', 'price'],
  mixAndMatch: ['components', 'price'],
  spendThreshold: ['target', 'basis', 'tiers'],
  basketOff: ['target', 'discountMode', 'percent', 'amount'],
};

export const KIND_LABELS: Record<PromotionKind, string> = {
  percentOff: 'Percent off items',
  amountOff: 'Amount off each unit',
  fixedPrice: 'Fixed unit price',
  buyXGetY: 'Buy X get Y',
  multiBuy: 'Multi-buy (3 for 10)',
  mixAndMatch: 'Meal deal / bundle',
  spendThreshold: 'Spend thresholds',
  basketOff: 'Basket discount',
};

export const blankSelector = (): SelectorForm => ({
  skus: '',
  categoryIds: '',
  productGroupIds: '',
  excludeSkus: '',
  excludeCategoryIds: '',
});

export function blankForm(kind: PromotionKind = 'percentOff'): PromotionForm {
  return {
    id: '',
    name: '',
    kind,
    priority: '0',
    stacking: 'standard',
    target: blankSelector(),
    percent: kind === 'buyXGetY' ? '100' : '',
    amount: '',
    price: '',
    qty: kind === 'multiBuy' ? '3' : kind === 'buyXGetY' ? '2' : '',
    getTarget: blankSelector(),
    getQty: '1',
    applyTo: 'cheapest',
    components: [
      { target: blankSelector(), qty: '1' },
      { target: blankSelector(), qty: '1' },
    ],
    basis: 'net',
    tiers: [{ minSpend: '', mode: 'amount', value: '' }],
    discountMode: 'percent',
    storeIds: [],
    zoneIds: [],
    excludeStoreIds: [],
    channels: '',
    from: '',
    to: '',
    windows: [],
    membersOnly: false,
    segments: '',
    couponCodes: '',
    limitTotal: '',
    limitPerCustomer: '',
    limitPerCart: '',
  };
}
