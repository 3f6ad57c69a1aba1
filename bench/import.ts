import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { readBenchConfig } from '../src/apps/config.ts';
import { hqMigrations } from '../src/apps/shared/hq-migrations.ts';
import { withCheckDigit } from '../src/catalog/gtin.ts';
import { applyPlan, consolidate, readExport, singleClassPolicy } from '../src/catalog/import/index.ts';
import { seededRandom } from '../src/core/random.ts';
import { dropSchema, openHqDb } from '../src/db/hq-db.ts';
import { printTable } from './stats.ts';

/**
 * Time to import a generated 100,000-row Shopify products export (products of 1–4 variants, image
 * rows, 1 % bad barcodes, 5 % missing costs), dry run and --apply, and to consolidate it with a
 * 20,000-row Square export that shares half its barcodes. Files are written to a temporary folder.
 */
// biome-ignore format: the header as the export writes it, several names a line
const SHOPIFY_HEADER = [
  'Handle', 'Title', 'Body (HTML)', 'Vendor', 'Product Category', 'Type', 'Tags', 'Published',
  'Option1 Name', 'Option1 Value', 'Option2 Name', 'Option2 Value', 'Option3 Name', 'Option3 Value',
  'Variant SKU', 'Variant Grams', 'Variant Inventory Tracker', 'Variant Inventory Policy',
  'Variant Fulfillment Service', 'Variant Price', 'Variant Compare At Price', 'Variant Requires Shipping',
  'Variant Taxable', 'Variant Barcode', 'Image Src', 'Image Position', 'Image Alt Text', 'Gift Card',
  'Variant Weight Unit', 'Cost per item', 'Status',
];

// biome-ignore format: as above
const SQUARE_HEADER = [
  'Token', 'Item Name', 'Variation Name', 'Unit and Precision', 'SKU', 'Description', 'Category', 'GTIN',
  'Item Type', 'Price', 'Archived', 'Sellable', 'Stockable', 'Option Name 1', 'Option Value 1',
  'Default Unit Cost', 'Default Vendor Name', 'Enabled Main Street', 'Current Quantity Main Street',
  'Price Main Street', 'Enabled Harbour', 'Current Quantity Harbour', 'Price Harbour',
];

const q = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const line = (cells: readonly string[]): string => `${cells.map(q).join(',')}\n`;

// biome-ignore format: word lists
const WORDS = [
  'Organic',
  'Classic',
  'Oat',
  'Barista',
  'Roast',
  'Linen',
  'Wool',
  'Cotton',
  'Green',
  'Smoked',
  'Sea Salt',
  'Dark',
  'Honey',
  'Alpine',
  'Wild',
  'Crisp',
];
const NOUNS = [
  'Tee',
  'Drink',
  'Coffee',
  'Napkin',
  'Sock',
  'Tea',
  'Crackers',
  'Chocolate',
  'Soap',
  'Candle',
  'Granola',
  'Jam',
];
const SIZES = ['S', 'M', 'L', 'XL'];

interface Gen {
  title: string;
  handle: string;
  variants: { option: string; sku: string; ean: string; price: string; cost: string }[];
}

function* products(rows: number, seed: number): Generator<Gen> {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let made = 0;
  for (let i = 0; made < rows; i++) {
    const n = 1 + Math.floor(r() * 4);
    const title = `${pick(WORDS)} ${pick(WORDS)} ${pick(NOUNS)} ${i}`;
    const variants = Array.from({ length: n }, (_, v) => {
      const ean = withCheckDigit(`40${String(i * 4 + v).padStart(10, '0')}`);
      return {
        option: n === 1 ? 'Default Title' : SIZES[v]!,
        sku: `SKU-${i}-${v}`,
        ean: r() < 0.01 ? `${ean.slice(0, -1)}${(Number(ean.at(-1)) + 1) % 10}` : ean,
        price: (1 + Math.floor(r() * 5000) / 100).toFixed(2),
        cost: r() < 0.05 ? '' : (0.5 + Math.floor(r() * 2000) / 100).toFixed(2),
      };
    });
    made += n + (r() < 0.2 ? 1 : 0);
    yield { title, handle: `product-${i}`, variants };
  }
}

async function writeShopify(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  out.write(`\ufeff${line(SHOPIFY_HEADER)}`);
  let written = 0;
  const r = seededRandom(7);
  for (const p of products(rows, 42)) {
    p.variants.forEach((v, k) => {
      const first = k === 0;
      const cells: Record<string, string> = {
        Handle: p.handle,
        Title: first ? p.title : '',
        'Body (HTML)': first ? `<p>${p.title}, made well.</p>\n<p>Keep dry.</p>` : '',
        Vendor: first ? 'Northwind' : '',
        Type: first ? 'General' : '',
        'Option1 Name': first ? (p.variants.length === 1 ? 'Title' : 'Size') : '',
        'Option1 Value': v.option,
        'Variant SKU': v.sku,
        'Variant Price': v.price,
        'Variant Barcode': v.ean,
        'Gift Card': first ? 'FALSE' : '',
        'Cost per item': v.cost,
        Status: first ? 'active' : '',
      };
      out.write(line(SHOPIFY_HEADER.map((h) => cells[h] ?? '')));
      written++;
    });
    if (r() < 0.2) {
      out.write(
        line(
          SHOPIFY_HEADER.map((h) =>
            h === 'Handle' ? p.handle : h === 'Image Src' ? 'https://cdn.example/x.jpg' : '',
          ),
        ),
      );
      written++;
    }
    if (written >= rows) break;
  }
  await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
  return written;
}

/** Square rows for the first products of the Shopify file: even ones share the barcode, odd ones only the name. */
async function writeSquare(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  out.write(line(SQUARE_HEADER));
  let written = 0;
  for (const p of products(rows * 2, 42)) {
    for (const v of p.variants) {
      const odd = written % 2 === 1;
      const cells: Record<string, string> = {
        Token: `SQ${written.toString(36).toUpperCase().padStart(10, '0')}`,
        'Item Name': p.title,
        'Variation Name': v.option === 'Default Title' ? 'Regular' : v.option,
        'Option Name 1': v.option === 'Default Title' ? '' : 'Size',
        'Option Value 1': v.option === 'Default Title' ? '' : v.option,
        SKU: `SQ-${v.sku}`,
        GTIN: odd ? '' : v.ean,
        Price: v.price,
        'Default Unit Cost': v.cost,
        'Current Quantity Main Street': String(written % 17),
        'Current Quantity Harbour': String(written % 5),
      };
      out.write(line(SQUARE_HEADER.map((h) => cells[h] ?? '')));
      if (++written >= rows) break;
    }
    if (written >= rows) break;
  }
  await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
  return written;
}

const secs = (ms: number): number => Number((ms / 1000).toFixed(2));
/** CPU seconds this process used since `from`: steadier than wall time on a shared machine. */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return Number(((d.user + d.system) / 1e6).toFixed(2));
};

export async function benchImport(rows = 100_000, apply = true): Promise<Record<string, string | number>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-import-bench-'));
  const logger = pino({ level: 'silent' });
  try {
    const shop = join(dir, 'shopify-products.csv');
    const sq = join(dir, 'square-item-library.csv');
    await writeShopify(shop, rows);
    await writeSquare(sq, Math.round(rows / 5));
    const out: Record<string, string | number>[] = [];

    let cpu = process.cpuUsage();
    let t = performance.now();
    const read = await readExport('shopify', shop);
    const readMs = performance.now() - t;
    t = performance.now();
    const plan = consolidate([read]);
    const planMs = performance.now() - t;
    out.push({
      case: `dry run, Shopify ${read.rows.toLocaleString('en')} rows (${(statSync(shop).size / 1e6).toFixed(1)} MB)`,
      'read s': secs(readMs),
      'consolidate s': secs(planMs),
      'total s': secs(readMs + planMs),
      'cpu s': cpuSince(cpu),
      'rows/s': Math.round(read.rows / ((readMs + planMs) / 1000)),
      products: plan.products.length,
      'rejected ids': plan.rejectedIdentifiers.length,
    });

    cpu = process.cpuUsage();
    t = performance.now();
    const both = [await readExport('shopify', shop), await readExport('square', sq)];
    const both2 = consolidate(both);
    const bothMs = performance.now() - t;
    out.push({
      case: `dry run, Shopify + Square ${both[1]!.rows.toLocaleString('en')} rows (consolidated)`,
      'total s': secs(bothMs),
      'cpu s': cpuSince(cpu),
      'rows/s': Math.round((both[0]!.rows + both[1]!.rows) / (bothMs / 1000)),
      products: both2.products.length,
      merged: both2.merged.length,
      review: both2.review.length,
    });

    const targets: { name: string; open: () => ReturnType<typeof openHqDb>; drop?: () => Promise<void> }[] = [
      { name: 'PGlite (in memory)', open: () => openHqDb({ migrations: hqMigrations, logger }) },
    ];
    const url = readBenchConfig().pgUrl;
    if (url) {
      const schema = `bench_import_${process.pid}`;
      targets.push({
        name: 'PostgreSQL',
        open: () => openHqDb({ migrations: hqMigrations, url, schema, logger }),
        drop: () => dropSchema(url, schema),
      });
    }
    for (const target of apply ? targets : []) {
      const h = await target.open();
      try {
        cpu = process.cpuUsage();
        t = performance.now();
        const r = await readExport('shopify', shop);
        const p = consolidate([r], { tax: singleClassPolicy('standard', 1900) });
        await applyPlan(h.db, p);
        const ms = performance.now() - t;
        out.push({
          case: `--apply into ${target.name}`,
          'total s': secs(ms),
          'cpu s': cpuSince(cpu),
          'rows/s': Math.round(r.rows / (ms / 1000)),
          products: p.products.length,
        });
      } finally {
        await h.close();
        await target.drop?.();
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = Number(process.argv[2] ?? 100_000);
  const apply = !process.argv.includes('--dry-run-only');
  console.log(
    `Catalog import — node ${process.version}, ${new Date().toISOString()} (2 shared cores: figures are noisy)`,
  );
  printTable(`Import of a generated ${rows.toLocaleString('en')}-row export`, await benchImport(rows, apply));
}
