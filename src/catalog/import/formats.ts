import {
  checkIdentifier,
  type ImportKind,
  type ImportSource,
  isNo,
  isYes,
  type LegacyRecord,
  type LegacyTax,
  parseMoney,
  parseQty,
  type RejectedIdentifier,
  type RowOutcome,
} from './record.ts';

/**
 * The export formats Tally reads, each as what its header must contain and a row mapper. Mappers are
 * stateful because Shopify spreads one product over several rows (variants and image-only rows with
 * an empty Title under the same Handle); the others are one sellable item per row.
 */
export type Row = Record<string, string>;

export interface RowMapper {
  map(row: Row, line: number): RowOutcome[];
}

export interface ExportFormat {
  source: ImportSource;
  label: string;
  /** Columns without which the file is not this export. */
  required: readonly string[];
  mapper(file: string, header: readonly string[], decimals: number): RowMapper;
}

const cell = (r: Row, k: string): string => (r[k] ?? '').trim();
const opt = (s: string): string | undefined => (s === '' ? undefined : s);

function identifiers(
  raws: readonly string[],
  at: { file: string; row: number; product: string },
): { codes: string[]; rejected: RejectedIdentifier[] } {
  const codes: string[] = [];
  const rejected: RejectedIdentifier[] = [];
  for (const raw of raws) {
    if (raw.trim() === '') continue;
    const c = checkIdentifier(raw);
    if (c.ok) {
      if (!codes.includes(c.code)) codes.push(c.code);
    } else rejected.push({ code: raw.trim(), reason: c.reason, ...at });
  }
  return { codes, rejected };
}

/** Builds the record, or a rejection naming every reason, from the fields a format read. */
function finish(
  base: Omit<LegacyRecord, 'priceMinor' | 'costMinor' | 'identifiers'>,
  money: { price: string | undefined; cost: string | undefined; decimals: number; priceRequired?: string },
  codes: readonly string[],
): RowOutcome {
  const at = { file: base.file, row: base.row, product: base.name || base.legacyId };
  const ids = identifiers(codes, at);
  const reasons: string[] = [];
  if (base.name.trim() === '') reasons.push('no product name');
  const price = parseMoney(money.price, money.decimals);
  if (price instanceof Error) reasons.push(`price ${price.message}`);
  else if (price === undefined) reasons.push(money.priceRequired ?? 'no price');
  const cost = parseMoney(money.cost, money.decimals);
  if (cost instanceof Error) reasons.push(`cost ${cost.message}`);
  if (reasons.length > 0) return { rejectedIdentifiers: ids.rejected, rejected: { ...at, reasons } };
  return {
    rejectedIdentifiers: ids.rejected,
    record: {
      ...base,
      identifiers: ids.codes,
      priceMinor: price as number,
      costMinor: cost instanceof Error ? undefined : cost,
    },
  };
}

const joinName = (parent: string, options: Record<string, string>): string => {
  const values = Object.values(options).filter((v) => v !== '');
  return values.length === 0 ? parent : `${parent} ${values.join(' ')}`;
};

const categoryPath = (raw: string): string[] =>
  raw
    .split('>')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const unitOf = (raw: string): 'each' | 'kg' | 'l' =>
  /kilogram|\bkg\b/i.test(raw) ? 'kg' : /\blit(er|re)|\bl\b/i.test(raw) ? 'l' : 'each';

/** Columns named "<prefix><Location>" (Square's "Current Quantity Main St", X-Series' inventory_Main). */
const locationColumns = (header: readonly string[], prefix: RegExp): [string, string][] =>
  header.flatMap((h) => {
    const m = prefix.exec(h);
    return m?.[1] ? [[h, m[1].trim()] as [string, string]] : [];
  });

export const shopify: ExportFormat = {
  source: 'shopify',
  label: 'Shopify products export',
  required: [
    'Handle',
    'Title',
    'Option1 Name',
    'Option1 Value',
    'Variant SKU',
    'Variant Price',
    'Variant Barcode',
  ],
  mapper(file, _header, decimals) {
    let current: { handle: string; row: Row } | undefined;
    return {
      map(r, line) {
        const handle = cell(r, 'Handle');
        if (handle === '') return [];
        // A new Handle starts a product; its first row holds the product-level columns.
        if (current?.handle !== handle) current = { handle, row: r };
        const p = current.row;
        const isVariant = ['Option1 Value', 'Variant SKU', 'Variant Price', 'Variant Barcode'].some(
          (k) => cell(r, k) !== '',
        );
        if (!isVariant) return []; // an image-only continuation row
        const options: Record<string, string> = {};
        for (const n of [1, 2, 3]) {
          const name = cell(p, `Option${n} Name`);
          const value = cell(r, `Option${n} Value`);
          // "Title" / "Default Title" is how Shopify writes a product without options.
          if (name !== '' && value !== '' && !(name === 'Title' && value === 'Default Title'))
            options[name] = value;
        }
        const title = cell(p, 'Title');
        const values = Object.values(options);
        const status = cell(p, 'Status').toLowerCase();
        return [
          finish(
            {
              source: 'shopify',
              file,
              row: line,
              legacyId: values.length > 0 ? `${handle}/${values.join('/')}` : handle,
              parentKey: handle,
              parentName: title,
              options,
              name: joinName(title, options),
              sku: opt(cell(r, 'Variant SKU')),
              categoryPath: categoryPath(cell(p, 'Product Category') || cell(p, 'Type')),
              supplier: opt(cell(p, 'Vendor')),
              supplierCode: undefined,
              giftCard: isYes(p['Gift Card']),
              status: status === 'archived' ? 'discontinued' : 'active',
              unit: 'each',
              stock:
                r['Variant Inventory Qty'] !== undefined ? stockOf(cell(r, 'Variant Inventory Qty')) : {},
              locationPrices: {},
              // Taxable and tax code are per variant; a code (Avalara's "P0000000") names the class.
              tax: taxOf(r['Variant Taxable'], [cell(r, 'Variant Tax Code')]),
            },
            { price: cell(r, 'Variant Price'), cost: cell(r, 'Cost per item'), decimals },
            [cell(r, 'Variant Barcode')],
          ),
        ];
      },
    };
  },
};

/** A taxable flag (empty: not said) and the names given, blanks and repeats dropped. */
const taxOf = (taxable: string | undefined, names: readonly string[]): LegacyTax => ({
  taxable: isNo(taxable) ? false : isYes(taxable) ? true : undefined,
  names: [...new Set(names.filter((n) => n !== ''))],
});

/** Square: the taxes marked Y on the item; every tax column N means a non-taxable item. */
const squareTax = (r: Row, cols: readonly [string, string][]): LegacyTax => {
  const on = cols.filter(([c]) => isYes(r[c])).map(([, name]) => name);
  const said = cols.some(([c]) => isYes(r[c]) || isNo(r[c]));
  return { taxable: !said ? undefined : on.length > 0, names: on };
};

const stockOf = (raw: string): Record<string, number> => {
  const q = parseQty(raw);
  return q === undefined ? {} : { default: q };
};

export const square: ExportFormat = {
  source: 'square',
  label: 'Square item library export',
  required: ['Token', 'Item Name', 'Variation Name', 'SKU', 'Price'],
  mapper(file, header, decimals) {
    const qtyCols = locationColumns(header, /^Current Quantity (.+)$/);
    const priceCols = locationColumns(header, /^Price (.+)$/);
    const optionNums = header.flatMap((h) => /^Option Name (\d+)$/.exec(h)?.[1] ?? []);
    // One Y/N column per tax the seller set up: "Tax - VAT (20%)", "Tax - Reduced food (5%)".
    const taxCols = locationColumns(header, /^Tax - (.+)$/);
    return {
      map(r, line) {
        const item = cell(r, 'Item Name');
        const variation = cell(r, 'Variation Name');
        const options: Record<string, string> = {};
        for (const n of optionNums) {
          const name = cell(r, `Option Name ${n}`);
          const value = cell(r, `Option Value ${n}`);
          if (name !== '' && value !== '') options[name] = value;
        }
        // "Regular" is Square's name for the only variation of an item.
        if (Object.keys(options).length === 0 && variation !== '' && variation !== 'Regular')
          options.Variation = variation;
        const stock: Record<string, number> = {};
        for (const [col, loc] of qtyCols) {
          const q = parseQty(r[col]);
          if (q !== undefined) stock[loc] = q;
        }
        const locationPrices: Record<string, number> = {};
        for (const [col, loc] of priceCols) {
          const p = parseMoney(r[col], decimals);
          if (typeof p === 'number') locationPrices[loc] = p;
        }
        const price = cell(r, 'Price');
        return [
          finish(
            {
              source: 'square',
              file,
              row: line,
              legacyId: cell(r, 'Token') || `${item}/${variation}`,
              parentKey: item.toLowerCase(),
              parentName: item,
              options,
              name: joinName(item, options),
              sku: opt(cell(r, 'SKU')),
              categoryPath: categoryPath(cell(r, 'Reporting Category') || cell(r, 'Category')),
              supplier: opt(cell(r, 'Default Vendor Name')),
              supplierCode: opt(cell(r, 'Default Vendor Code')),
              giftCard: /gift/i.test(cell(r, 'Item Type')),
              status: isYes(r.Archived) ? 'discontinued' : 'active',
              unit: unitOf(cell(r, 'Unit and Precision')),
              stock,
              locationPrices,
              tax: squareTax(r, taxCols),
            },
            {
              price: /^variable$/i.test(price) ? '' : price,
              cost: cell(r, 'Default Unit Cost'),
              decimals,
              priceRequired: 'variable price: Tally needs a fixed price',
            },
            [cell(r, 'GTIN')],
          ),
        ];
      },
    };
  },
};

export const lightspeedR: ExportFormat = {
  source: 'lightspeed-r',
  label: 'Lightspeed Retail (R-Series) item export',
  required: ['System ID', 'UPC', 'EAN', 'Custom SKU', 'Manufact. SKU', 'Item', 'Price'],
  mapper(file, header, decimals) {
    // One "Qty." column, or one per shop ("Main Street - Qty.", "Qty. Main Street").
    const qtyCols: [string, string][] = header.flatMap((h) => {
      if (h === 'Qty.' || h === 'Qty') return [[h, 'default'] as [string, string]];
      const m = /^(.+?)\s*-\s*Qty\.?$/.exec(h) ?? /^Qty\.?\s+(.+)$/.exec(h);
      return m?.[1] ? [[h, m[1]] as [string, string]] : [];
    });
    const subcats = header.filter((h) => /^Subcategory \d+$/.test(h));
    const attrs = header.filter((h) => /^Attribute \d$/.test(h));
    return {
      map(r, line) {
        const id = cell(r, 'System ID');
        const matrix = cell(r, 'Matrix Description');
        const options: Record<string, string> = {};
        for (const a of attrs) if (cell(r, a) !== '') options[a] = cell(r, a);
        const stock: Record<string, number> = {};
        for (const [col, loc] of qtyCols) {
          const q = parseQty(r[col]);
          if (q !== undefined) stock[loc] = q;
        }
        const name = cell(r, 'Item') || cell(r, 'Description');
        return [
          finish(
            {
              source: 'lightspeed-r',
              file,
              row: line,
              legacyId: id,
              parentKey: matrix !== '' ? `matrix:${matrix.toLowerCase()}` : `item:${id}`,
              parentName: matrix !== '' ? matrix : name,
              options,
              name,
              sku: opt(cell(r, 'Custom SKU')) ?? opt(cell(r, 'Manufact. SKU')),
              categoryPath: [cell(r, 'Category'), ...subcats.map((s) => cell(r, s))].filter((s) => s !== ''),
              supplier: opt(cell(r, 'Vendor')),
              supplierCode: opt(cell(r, 'Vendor ID')) ?? opt(cell(r, 'Manufact. SKU')),
              giftCard: /gift card/i.test(name),
              status: isYes(r.Archived) ? 'discontinued' : 'active',
              unit: 'each',
              stock,
              locationPrices: {},
              // "Tax" Yes/No says whether the item is taxed; "Tax Class" ("Item", "Food", …) how.
              tax: taxOf(r.Tax, [cell(r, 'Tax Class')]),
            },
            { price: cell(r, 'Price'), cost: cell(r, 'Default Cost'), decimals },
            [cell(r, 'UPC'), cell(r, 'EAN')],
          ),
        ];
      },
    };
  },
};

const X_OPTIONS = ['one', 'two', 'three'] as const;

export const lightspeedX: ExportFormat = {
  source: 'lightspeed-x',
  label: 'Lightspeed Retail (X-Series) product export',
  required: [
    'handle',
    'sku',
    'name',
    'variant_option_one_name',
    'variant_option_one_value',
    'supply_price',
    'retail_price',
  ],
  mapper(file, header, decimals) {
    const qtyCols = locationColumns(header, /^inventory_(.+)$/);
    // A tax name per product ("tax_name") or per outlet ("outlet_tax_Main_Outlet"), when exported.
    const taxCols = header.filter((h) => h === 'tax_name' || h === 'tax' || /^outlet_tax_/.test(h));
    return {
      map(r, line) {
        const handle = cell(r, 'handle');
        const options: Record<string, string> = {};
        for (const n of X_OPTIONS) {
          const k = cell(r, `variant_option_${n}_name`);
          const v = cell(r, `variant_option_${n}_value`);
          if (k !== '' && v !== '') options[k] = v;
        }
        const stock: Record<string, number> = {};
        for (const [col, loc] of qtyCols) {
          const q = parseQty(r[col]);
          if (q !== undefined) stock[loc.replace(/_/g, ' ')] = q;
        }
        const sku = cell(r, 'sku');
        const name = cell(r, 'name');
        const active = cell(r, 'active');
        return [
          finish(
            {
              source: 'lightspeed-x',
              file,
              row: line,
              legacyId: cell(r, 'id') || sku || `${handle}/${Object.values(options).join('/')}`,
              parentKey: handle.toLowerCase(),
              parentName: name,
              options,
              name: joinName(name, options),
              sku: opt(sku),
              categoryPath: categoryPath(cell(r, 'product_category') || cell(r, 'type')),
              supplier: opt(cell(r, 'supplier_name')),
              supplierCode: opt(cell(r, 'supplier_code')),
              giftCard: /gift/i.test(cell(r, 'type')),
              status: active === '0' || /^false$/i.test(active) ? 'discontinued' : 'active',
              unit: 'each',
              stock,
              locationPrices: {},
              tax: taxOf(
                undefined,
                taxCols.map((c) => cell(r, c)),
              ),
            },
            { price: cell(r, 'retail_price'), cost: cell(r, 'supply_price'), decimals },
            // X-Series has no barcode column: retailers scan the SKU, so a SKU that is a GTIN is one.
            /^\d{8}$|^\d{12,14}$/.test(sku) ? [sku] : [],
          ),
        ];
      },
    };
  },
};

export const formatsByKind: Record<ImportKind, readonly ExportFormat[]> = {
  shopify: [shopify],
  square: [square],
  lightspeed: [lightspeedR, lightspeedX],
};

/** Missing columns of a format, compared after trimming (exports pad some headers). */
export const missingColumns = (f: ExportFormat, header: readonly string[]): string[] => {
  const have = new Set(header.map((h) => h.trim()));
  return f.required.filter((c) => !have.has(c));
};

/**
 * The format a header belongs to among those of a kind, or the columns the closest one lacks, so
 * the operator learns why a file was refused.
 */
export function detectFormat(
  kind: ImportKind,
  header: readonly string[],
): { format: ExportFormat } | { lacks: string[]; label: string } {
  let best: { lacks: string[]; label: string } | undefined;
  const formats = formatsByKind[kind];
  for (const f of formats) {
    const lacks = missingColumns(f, header);
    if (lacks.length === 0) return { format: f };
    if (!best || lacks.length < best.lacks.length) best = { lacks, label: f.label };
  }
  if (formats.length > 1 && best) {
    const names = formats.map((f) => f.label).join(' nor a ');
    return { lacks: best.lacks, label: `${names} (closest: ${best.label}, which needs)` };
  }
  return best!;
}
