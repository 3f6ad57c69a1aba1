import type { ProductListResponse, ProductRow } from '../../../contracts/index.ts';
import { formatMoney } from '../format.ts';
import { DataTable } from '../ui/DataTable.tsx';

const count = new Intl.NumberFormat('en-IE');
const percent = (bp: number | null): string => (bp === null ? '—' : `${(bp / 100).toFixed(1)} %`);

/** "showing 1–50 of 1,234", or what the filters found when it is nothing. */
export function pageText(page: Pick<ProductListResponse, 'total' | 'offset'> & { shown: number }): string {
  if (page.total === 0) return 'no products match';
  const first = page.offset + 1;
  const last = page.offset + page.shown;
  return `showing ${count.format(first)}–${count.format(last)} of ${count.format(page.total)}`;
}

/** One page of products; a row's SKU opens it in the editor. */
export function ProductTable({
  page,
  currency,
  onOpen,
}: {
  page: ProductListResponse;
  currency: string;
  onOpen: (row: ProductRow) => void;
}) {
  return (
    <DataTable
      rows={page.products}
      rowKey={(r) => r.sku}
      caption="Products matching the search and filters"
      empty="No product matches the search and filters."
      testId="products-table"
      columns={[
        {
          label: 'SKU',
          cell: (r) => (
            <button type="button" className="link" data-testid="open-product" onClick={() => onOpen(r)}>
              {r.sku}
            </button>
          ),
        },
        { label: 'Name', cell: (r) => <span data-testid="product-name">{r.name}</span> },
        { label: 'Barcodes', cell: (r) => r.barcodes.join(', ') },
        { label: 'Category', cell: (r) => r.category },
        {
          label: 'Price',
          num: true,
          title: "the chain's price in force now",
          cell: (r) => <span data-testid="product-price">{formatMoney(r.priceMinor, currency)}</span>,
        },
        {
          label: 'Cost',
          num: true,
          cell: (r) => (r.costMinor === null ? '—' : formatMoney(r.costMinor, currency)),
        },
        { label: 'Margin', num: true, title: '(price − cost) / price', cell: (r) => percent(r.marginBp) },
        { label: 'Supplier', cell: (r) => r.supplier ?? '' },
        { label: 'Tax class', cell: (r) => r.taxClass ?? '' },
        {
          label: 'Variant',
          cell: (r) =>
            r.parentId ? `${r.parentName ?? r.parentId}: ${Object.values(r.options).join(' / ')}` : '',
        },
        {
          label: 'Status',
          cell: (r) => (
            <span className={`badge ${r.status}`} data-testid="row-status">
              {r.status === 'active' ? 'Active' : 'Archived'}
            </span>
          ),
        },
      ]}
    />
  );
}
