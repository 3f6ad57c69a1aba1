import { IMPORT_UPDATE_FIELDS } from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';

/**
 * What an import may change on a product HQ already holds. By default nothing: a match keeps its
 * name, price, category, supplier, cost, barcodes and stock, and the operator names the fields the
 * export should win on (`--update price,cost`). Every change the policy allows is listed in the plan
 * (before → after) and applying writes exactly those.
 */
export const UPDATABLE_FIELDS = IMPORT_UPDATE_FIELDS;
export type UpdatableField = (typeof UPDATABLE_FIELDS)[number];

/** A product column the import changes; `supplier` covers supplier and supplier code. */
export type ChangedField = 'name' | 'price' | 'category' | 'supplier' | 'supplierCode' | 'cost' | 'barcodes';

export interface FieldChange {
  field: ChangedField;
  before: string | number | null;
  after: string | number | null;
}

/** What HQ holds of a product, as far as an import may change it. */
export interface HeldProduct {
  name: string;
  priceMinor: number;
  category: string | null;
  supplier: string | null;
  supplierCode: string | null;
  costMinor: number | null;
  barcodes: readonly string[];
}

/** `"price, cost"` → the fields, naming the option on a field that is not one. */
export function parseUpdateFields(raw: string | readonly string[], option = '--update'): Set<UpdatableField> {
  const names = (typeof raw === 'string' ? raw.split(',') : raw).map((s) => s.trim()).filter(Boolean);
  const out = new Set<UpdatableField>();
  for (const n of names) {
    if (n === 'all') for (const f of UPDATABLE_FIELDS) out.add(f);
    else if ((UPDATABLE_FIELDS as readonly string[]).includes(n)) out.add(n as UpdatableField);
    else
      throw invalid(
        option,
        `"${n}" is not a field an import updates; use ${UPDATABLE_FIELDS.join(', ')} or all`,
      );
  }
  return out;
}

/** The planned values of a matched product, as consolidation made them. */
export interface PlannedValues {
  name: string;
  priceMinor: number;
  categoryPath: readonly string[];
  supplier: string | undefined;
  supplierCode: string | undefined;
  costMinor: number | undefined;
  identifiers: readonly string[];
}

export const categoryText = (path: readonly string[]): string => path.join(' > ');

/**
 * The changes an import makes to one held product under the policy. A value the export leaves empty
 * (no cost, no category) never erases what HQ holds.
 */
export function fieldChanges(
  planned: PlannedValues,
  held: HeldProduct,
  update: ReadonlySet<UpdatableField>,
): FieldChange[] {
  const out: FieldChange[] = [];
  const put = (field: ChangedField, before: string | number | null, after: string | number | undefined) => {
    if (after !== undefined && after !== before) out.push({ field, before, after });
  };
  if (update.has('name')) put('name', held.name, planned.name.slice(0, 500));
  if (update.has('price')) put('price', held.priceMinor, planned.priceMinor);
  if (update.has('category') && planned.categoryPath.length > 0)
    put('category', held.category, categoryText(planned.categoryPath));
  if (update.has('supplier')) {
    put('supplier', held.supplier, planned.supplier);
    put('supplierCode', held.supplierCode, planned.supplierCode);
  }
  if (update.has('cost')) put('cost', held.costMinor, planned.costMinor);
  if (update.has('barcodes')) {
    const added = planned.identifiers.filter((c) => !held.barcodes.includes(c));
    if (added.length > 0)
      out.push({
        field: 'barcodes',
        before: held.barcodes.join(', '),
        after: [...held.barcodes, ...added].join(', '),
      });
  }
  return out;
}
