import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import {
  applyPlan,
  consolidate,
  emptyCatalog,
  formatSummary,
  type ImportKind,
  loadExistingCatalog,
  type ReadResult,
  readExport,
} from '../../catalog/index.ts';
import { createLogger, invalid } from '../../core/index.ts';
import { openHqDb } from '../../db/index.ts';
import {
  applyStock,
  formatStock,
  loadOnHand,
  mapLocations,
  parseLocationPairs,
  planStock,
  stockLocations,
} from '../../inventory/index.ts';
import { dataPath, parsePostgresUrl } from '../options.ts';
import { appendToHqLog } from '../shared/event-registry.ts';
import { hqMigrations } from '../shared/hq-migrations.ts';

interface ImportOptions {
  apply?: boolean;
  data: string;
  db?: string;
  decimals: number;
  taxRateBp?: number;
  mergeAt: number;
  reviewAt: number;
  review: 'skip' | 'merge' | 'create';
  report?: string;
  limit: number;
  location: string[];
}

const number =
  (option: string, lo: number, hi: number, int = false) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < lo || n > hi || (int && !Number.isInteger(n)))
      throw invalid(
        option,
        `expected ${int ? 'a whole number' : 'a number'} from ${lo} to ${hi}, got "${v}"`,
      );
    return n;
  };

/**
 * `tally import shopify|square|lightspeed <file...>`: reads legacy catalog exports, consolidates
 * them with each other and with HQ's catalog, prints the plan, and writes it with --apply.
 */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('bring in catalogs exported from Shopify, Square or Lightspeed (dry run unless --apply)')
    .addArgument(
      program
        .createArgument('<kind>', 'shopify | square | lightspeed (R-Series or X-Series, detected)')
        .choices(['shopify', 'square', 'lightspeed']),
    )
    .argument(
      '<file...>',
      'export files (CSV), consolidated in the order given; prefix one with another kind to mix systems (square:items.csv)',
    )
    .option('--apply', 'write the result to HQ (default: dry run)')
    .option('--data <dir>', 'PGlite data folder of HQ (ignored with --db)', join('.tally', 'hq'))
    .option('--db <url>', 'PostgreSQL URL of HQ', parsePostgresUrl)
    .option('--decimals <n>', "decimals of the exports' currency", number('--decimals', 0, 4, true), 2)
    .option(
      '--tax-rate-bp <n>',
      'tax rate of new products in basis points (required with --apply)',
      number('--tax-rate-bp', 0, 10_000, true),
    )
    .option(
      '--merge-at <score>',
      'name similarity that merges without review',
      number('--merge-at', 0, 1),
      0.9,
    )
    .option('--review-at <score>', 'name similarity that goes to review', number('--review-at', 0, 1), 0.7)
    .addOption(
      new Option('--review <what>', 'doubtful matches: skip, merge or create')
        .choices(['skip', 'merge', 'create'])
        .default('skip'),
    )
    .option(
      '--location <pair>',
      'export location = HQ store for per-location stock ("Main Street=S001"); repeat for each; a location named like a store maps by itself',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--report <file>', 'write the whole plan as JSON')
    .option('--limit <n>', 'lines per section in the summary', number('--limit', 1, 1_000_000, true), 50)
    .action(async (kind: ImportKind, files: string[], o: ImportOptions) => {
      if (o.apply && o.taxRateBp === undefined)
        throw invalid(
          '--tax-rate-bp',
          'is required with --apply: the exports do not say which rate tills charge',
        );
      if (o.reviewAt > o.mergeAt) throw invalid('--review-at', 'must not be above --merge-at');
      const log = createLogger('tally-import', 'warn');
      const bar = new SingleBar({
        format: 'import [{bar}] {percentage}% {file} {rows} rows',
        stream: process.stderr,
        hideCursor: true,
      });
      const tty = process.stderr.isTTY === true;
      const results: ReadResult[] = [];
      for (const arg of files) {
        const m = /^(shopify|square|lightspeed):(.+)$/.exec(arg);
        const path = m ? m[2]! : arg;
        let started = false;
        const r = await readExport(m ? (m[1] as ImportKind) : kind, path, {
          decimals: o.decimals,
          onProgress: ({ bytes, total, rows }) => {
            if (!tty) return;
            if (!started) bar.start(total, 0, { file: path, rows: 0 });
            started = true;
            bar.update(bytes, { rows });
          },
        });
        if (started) bar.stop();
        results.push(r);
      }
      const dataDir = dataPath(o.data);
      // A dry run reads HQ when there is one, and never creates one.
      const useHq = o.apply || o.db !== undefined || existsSync(dataDir);
      if (!useHq) console.error(`tally: no HQ at ${dataDir}; planning against an empty catalog`);
      const opened = !useHq
        ? undefined
        : await openHqDb({
            migrations: hqMigrations,
            url: o.db,
            dataDir: o.db ? undefined : dataDir,
            logger: log,
          }).catch((err: unknown) => {
            // A dry run still plans without HQ (say so); --apply needs it.
            if (o.apply) throw err;
            console.error(
              `tally: HQ not reachable (${err instanceof Error ? err.message : err}); planning against an empty catalog`,
            );
            return undefined;
          });
      try {
        const existing = opened ? await loadExistingCatalog(opened.db) : emptyCatalog;
        const plan = consolidate(results, {
          mergeAt: o.mergeAt,
          reviewAt: o.reviewAt,
          review: o.review,
          existing,
        });
        if (o.apply && opened) {
          let started = false;
          await applyPlan(opened.db, plan, {
            taxRateBp: o.taxRateBp!,
            onProgress: (done, total) => {
              if (!tty) return;
              if (!started) bar.start(total, 0, { file: 'writing to HQ', rows: total });
              started = true;
              bar.update(done);
            },
          });
          if (started) bar.stop();
        }
        // Per-location quantities become stock at the mapped stores (receipts or adjustments).
        const locations = stockLocations(plan);
        let stockText: string | undefined;
        if (locations.length > 0) {
          const explicit = parseLocationPairs(o.location);
          const stores = opened
            ? (await opened.db.selectFrom('stores').select(['id', 'name']).execute()).map((s) => ({
                storeId: s.id,
                name: s.name,
              }))
            : [];
          const map = mapLocations(locations, stores, opened ? explicit : {});
          const stock = planStock(
            plan,
            map,
            opened ? await loadOnHand(opened.db, [...new Set(map.values())]) : new Map(),
          );
          if (o.apply && opened && stock.movements.length > 0) {
            let started = false;
            await applyStock(opened.db, stock, {
              note: `import of ${files.join(', ')}`,
              append: appendToHqLog,
              onProgress: (done, total) => {
                if (!tty) return;
                if (!started) bar.start(total, 0, { file: 'writing stock', rows: total });
                started = true;
                bar.update(done);
              },
            });
            if (started) bar.stop();
          }
          stockText = formatStock(stock, { applied: o.apply === true, limit: o.limit });
        }
        if (o.report) writeFileSync(o.report, `${JSON.stringify(plan, null, 2)}\n`);
        console.log(formatSummary(plan, { applied: o.apply === true, decimals: o.decimals, limit: o.limit }));
        if (stockText) console.log(stockText);
      } finally {
        await opened?.close();
      }
    });
}
