import type { AtRiskRow, DeadStockRow, NegativeRow, SlowMoverRow } from '../../../contracts/index.ts';
import { formatCount, formatMoney, formatTime } from '../format.ts';
import { routeHash } from '../route.ts';
import type { Column } from '../ui/DataTable.tsx';

/** The product's detail: its forecast chart for that store. */
export const productHref = (storeId: string, sku: string): string =>
  routeHash({ view: 'insights', focus: 'forecast', params: { store: storeId, sku } });

function product<R extends { storeId: string; sku: string; name: string }>(): Column<R>[] {
  return [
    { label: 'Store', cell: (r) => <span data-testid="row-store">{r.storeId}</span> },
    {
      label: 'Product',
      cell: (r) => (
        <a href={productHref(r.storeId, r.sku)} className="product-link">
          {r.name} <span className="muted">{r.sku}</span>
        </a>
      ),
    },
  ];
}

const days = (d: number | null) => (d === null ? '—' : `${formatCount(d)} d`);

export const atRiskColumns = (src: string): Column<AtRiskRow>[] => [
  ...product<AtRiskRow>(),
  { label: 'Available', num: true, title: src, cell: (r) => formatCount(r.available) },
  { label: 'Forecast 7 d', num: true, title: src, cell: (r) => formatCount(r.forecast7d) },
  { label: 'Cover', num: true, title: src, cell: (r) => days(r.daysOfCover) },
];

export const slowColumns = (src: string, currency: string): Column<SlowMoverRow>[] => [
  ...product<SlowMoverRow>(),
  { label: 'On hand', num: true, title: src, cell: (r) => formatCount(r.onHand) },
  { label: 'Sold 28 d', num: true, title: src, cell: (r) => formatCount(r.units28d) },
  { label: 'Cover', num: true, title: src, cell: (r) => days(r.daysOfCover) },
  { label: 'At cost', num: true, title: src, cell: (r) => formatMoney(r.valueAtCostMinor, currency) },
];

export const deadColumns = (src: string, currency: string): Column<DeadStockRow>[] => [
  ...product<DeadStockRow>(),
  { label: 'On hand', num: true, title: src, cell: (r) => formatCount(r.onHand) },
  { label: 'Last sold', title: src, cell: (r) => r.lastSoldOn ?? 'never' },
  { label: 'At cost', num: true, title: src, cell: (r) => formatMoney(r.valueAtCostMinor, currency) },
];

export const negativeColumns = (src: string): Column<NegativeRow>[] => [
  ...product<NegativeRow>(),
  { label: 'On hand', num: true, title: src, cell: (r) => formatCount(r.onHand) },
  { label: 'Since', title: src, cell: (r) => (r.since ? formatTime(r.since) : 'unknown') },
];
