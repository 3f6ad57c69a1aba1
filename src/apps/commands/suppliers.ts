import type { Command } from 'commander';
import { invalid } from '../../core/index.ts';
import { type HqDbCli, hqDbOptions, withHqDbCli } from './hq-db-cli.ts';

interface TermsCli extends HqDbCli {
  name?: string;
  leadDays?: number;
  reviewDays?: number | 'none';
  minOrder?: number | 'none';
}

// 'none' stays a string until the action: commander does not keep a null a parser returns.
const wholeDays =
  (option: string, min: number, clearable = false) =>
  (v: string): number | 'none' => {
    if (clearable && v === 'none') return 'none';
    const n = Number(v);
    if (!(Number.isInteger(n) && n >= min))
      throw invalid(option, `expected a whole number ≥ ${min}${clearable ? ' or "none"' : ''}, got "${v}"`);
    return n;
  };

/**
 * `tally suppliers add|list|set`: who supplies the products and on what terms. Replenishment at HQ
 * takes each product's lead time, review period and minimum order line from its supplier's row; a
 * supplier without one is ordered with a 7-day lead time, reviewed daily.
 */
export function registerSuppliersCommand(program: Command): void {
  const suppliers = program
    .command('suppliers')
    .description('suppliers and their ordering terms (lead time, review period, minimum order)');

  hqDbOptions(
    suppliers
      .command('add <id>')
      .description("add a supplier; the id is what products' supplier field holds")
      .requiredOption('--lead-days <n>', 'days from order to shelf', wholeDays('--lead-days', 0))
      .option('--name <name>', 'display name (default: the id)')
      .option(
        '--review-days <n>',
        'days between orders (default: reviewed daily)',
        wholeDays('--review-days', 1),
      )
      .option('--min-order <n>', 'fewest units on an order line', wholeDays('--min-order', 0)),
  ).action(async (id: string, o: TermsCli & { leadDays: number }) => {
    const { addSuppliers } = await import('../../catalog/index.ts');
    await withHqDbCli(o, 'tally-suppliers', (db) =>
      addSuppliers(db, [
        {
          id,
          name: o.name ?? id,
          leadDays: o.leadDays,
          ...(typeof o.reviewDays === 'number' ? { reviewDays: o.reviewDays } : {}),
          ...(typeof o.minOrder === 'number' ? { minOrder: o.minOrder } : {}),
        },
      ]),
    );
    console.log(`added supplier ${id}: ${o.leadDays} days' lead time`);
  });

  hqDbOptions(
    suppliers
      .command('list')
      .description('list suppliers and their terms, and product suppliers that have no terms yet'),
  ).action(async (o: HqDbCli) => {
    const { listSuppliers } = await import('../../catalog/index.ts');
    const { catalogDb } = await import('../../catalog/hq/index.ts');
    await withHqDbCli(o, 'tally-suppliers', async (db) => {
      const rows = await listSuppliers(db);
      const used = await catalogDb(db)
        .selectFrom('products')
        .select(['supplier', (eb) => eb.fn.countAll<number>().as('n')])
        .where('supplier', 'is not', null)
        .groupBy('supplier')
        .execute();
      const products = new Map(used.map((u) => [u.supplier as string, Number(u.n)]));
      for (const s of rows)
        console.log(
          `${s.id}\t${s.name}\tlead ${s.leadDays} d\t${s.reviewDays ? `review every ${s.reviewDays} d` : 'review daily'}` +
            `\t${s.minOrder ? `min ${s.minOrder}` : 'no minimum'}\t${products.get(s.id) ?? 0} products`,
        );
      const known = new Set(rows.map((s) => s.id));
      const missing = [...products].filter(([id]) => !known.has(id)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      for (const [id, n] of missing) console.log(`${id}\t(no terms: 7-day lead time assumed)\t${n} products`);
    });
  });

  hqDbOptions(
    suppliers
      .command('set <id>')
      .description("change a supplier's terms")
      .option('--name <name>', 'display name')
      .option('--lead-days <n>', 'days from order to shelf', wholeDays('--lead-days', 0))
      .option(
        '--review-days <n|none>',
        'days between orders; none: reviewed daily',
        wholeDays('--review-days', 1, true),
      )
      .option(
        '--min-order <n|none>',
        'fewest units on an order line; none: no minimum',
        wholeDays('--min-order', 0, true),
      ),
  ).action(async (id: string, o: TermsCli) => {
    const { setSupplier } = await import('../../catalog/index.ts');
    const s = await withHqDbCli(o, 'tally-suppliers', (db) =>
      setSupplier(db, id, {
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.leadDays != null ? { leadDays: o.leadDays } : {}),
        ...(o.reviewDays !== undefined ? { reviewDays: o.reviewDays === 'none' ? null : o.reviewDays } : {}),
        ...(o.minOrder !== undefined ? { minOrder: o.minOrder === 'none' ? null : o.minOrder } : {}),
      }),
    );
    console.log(
      `supplier ${s.id}: ${s.leadDays} days' lead time, ${s.reviewDays ? `reviewed every ${s.reviewDays} days` : 'reviewed daily'}, ${s.minOrder ? `at least ${s.minOrder} a line` : 'no minimum'}`,
    );
  });
}
