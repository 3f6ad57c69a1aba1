import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import {
  type ImportKind,
  parseTaxClassMap,
  parseUpdateFields,
  type ReadResult,
  readExport,
} from '../../catalog/index.ts';
import {
  API_BASE,
  type ImportOptions as ApiImportOptions,
  type ImportReport,
  type ImportRequest,
  importReportSchema,
} from '../../contracts/index.ts';
import { createLogger, invalid, TallyError } from '../../core/index.ts';
import { folderHolder, openHqDb } from '../../db/index.ts';
import { parseLocationPairs } from '../../inventory/index.ts';
import { dataPath, parsePostgresUrl } from '../options.ts';
import { applyCatalogImport, planCatalogImport } from '../shared/catalog-import.ts';
import { hqMigrations } from '../shared/hq-migrations.ts';
import { adminTokenFile } from './hq.ts';
import { formatImportReport } from './import-report-text.ts';

interface ImportOptions {
  apply?: boolean;
  hq?: string;
  token?: string;
  update: string;
  taxClassMap: string;
  exemptClass: string;
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
    .option('--hq <url>', "run the import through HQ's API (a running HQ on --data is found by itself)")
    .option(
      '--token <token>',
      'bearer token for --hq (default: TALLY_TOKEN, else the admin token kept in --data)',
    )
    .option(
      '--update <fields>',
      'fields a match may change on a product HQ holds: name,price,category,supplier,cost,barcodes,stock or all (default: none)',
      '',
    )
    .option(
      '--tax-class-map <pairs>',
      'source tax name or category = tax class for new products ("Food=reduced,Books=reduced,*=standard")',
      '',
    )
    .option('--exempt-class <class>', 'tax class of items the export marks non-taxable', 'exempt')
    .option(
      '--tax-rate-bp <n>',
      'fallback rate (basis points) of a tax class no tax jurisdiction gives a rate for',
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
      if (o.reviewAt > o.mergeAt) throw invalid('--review-at', 'must not be above --merge-at');
      parseTaxClassMap(o.taxClassMap);
      const options: ApiImportOptions = {
        update: [...parseUpdateFields(o.update)],
        taxClassMap: o.taxClassMap,
        exemptClass: o.exemptClass,
        ...(o.taxRateBp !== undefined ? { taxRateBp: o.taxRateBp } : {}),
        decimals: o.decimals,
        mergeAt: o.mergeAt,
        reviewAt: o.reviewAt,
        review: o.review,
        locations: parseLocationPairs(o.location),
      };
      const inputs = files.map((arg) => {
        const m = /^(shopify|square|lightspeed):(.+)$/.exec(arg);
        return { kind: m ? (m[1] as ImportKind) : kind, path: m ? m[2]! : arg };
      });
      const dataDir = dataPath(o.data);
      // HQ holding the folder owns the database: go through its API, never beside it.
      const holder = o.hq || o.db ? undefined : folderHolder(dataDir);
      if (holder && !holder.url)
        throw new TallyError(
          'conflict',
          `HQ's data folder ${dataDir} is held by process ${holder.pid}, which says no URL: pass --hq http://… --token …, or stop it first`,
          'data',
        );
      const hqUrl = o.hq ?? holder?.url;
      const report = hqUrl
        ? await viaApi(hqUrl, tokenFor(o, dataDir), inputs, options, o.apply === true)
        : await locally(inputs, options, o, dataDir);
      if (o.report) writeFileSync(o.report, `${JSON.stringify(report, null, 2)}\n`);
      console.log(formatImportReport(report, { decimals: o.decimals, limit: o.limit }));
      if (!report.applied && o.apply) process.exitCode = 1;
    });
}

const tokenFor = (o: ImportOptions, dataDir: string): string => {
  const t =
    o.token ??
    process.env.TALLY_TOKEN ??
    (existsSync(adminTokenFile(dataDir)) ? readFileSync(adminTokenFile(dataDir), 'utf8').trim() : undefined);
  if (!t) throw invalid('--token', "HQ's API needs a token: pass --token <token> (or set TALLY_TOKEN)");
  return t;
};

/** Dry run through HQ's API, then (with --apply) the apply of exactly that plan. */
async function viaApi(
  url: string,
  token: string,
  inputs: { kind: ImportKind; path: string }[],
  options: ApiImportOptions,
  apply: boolean,
): Promise<ImportReport> {
  const files = inputs.map((i) => {
    if (!existsSync(i.path)) throw invalid('file', `${i.path} cannot be read`);
    return { kind: i.kind, name: basename(i.path), content: readFileSync(i.path, 'utf8') };
  });
  const call = async (body: ImportRequest): Promise<ImportReport> => {
    let res: Response;
    try {
      res = await fetch(`${url.replace(/\/$/, '')}${API_BASE}/catalog/imports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    } catch (err) {
      throw new TallyError(
        'unavailable',
        `HQ at ${url} cannot be reached (${err instanceof Error ? err.message : err}); is it running?`,
        'hq',
      );
    }
    const json = (await res.json().catch(() => ({}))) as { message?: string; field?: string };
    if (!res.ok) {
      const e = json;
      throw new TallyError(
        res.status === 409
          ? 'conflict'
          : res.status === 401 || res.status === 403
            ? 'forbidden'
            : 'validation',
        `HQ refused the import (${res.status}): ${e?.message ?? 'no reason given'}`,
        e?.field ?? 'hq',
      );
    }
    return importReportSchema.parse(json);
  };
  const dry = await call({ files, options, dryRun: true });
  if (!apply) return dry;
  return call({ files, options, dryRun: false, planId: dry.planId });
}

/** Plans (and applies) against HQ's database opened here: only when no HQ holds it. */
async function locally(
  inputs: { kind: ImportKind; path: string }[],
  options: ApiImportOptions,
  o: ImportOptions,
  dataDir: string,
): Promise<ImportReport> {
  const bar = new SingleBar({
    format: 'import [{bar}] {percentage}% {file} {rows} rows',
    stream: process.stderr,
    hideCursor: true,
  });
  const tty = process.stderr.isTTY === true;
  const results: ReadResult[] = [];
  for (const { kind, path } of inputs) {
    let started = false;
    const r = await readExport(kind, path, {
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
  // A dry run with no HQ at all plans against an empty catalog and says so; anything else opens HQ's
  // database, and a failure to open it is an error, never an empty catalog.
  const useHq = o.apply || o.db !== undefined || existsSync(dataDir);
  if (!useHq) {
    console.error(`tally: no HQ at ${dataDir}; planning against an empty catalog`);
    return (await planCatalogImport(undefined, results, options)).report;
  }
  const opened = await openHqDb({
    migrations: hqMigrations,
    url: o.db,
    dataDir: o.db ? undefined : dataDir,
    logger: createLogger('tally-import', 'warn'),
  });
  try {
    const dry = await planCatalogImport(opened.db, results, options);
    if (!o.apply) return dry.report;
    let shown = '';
    const done = await applyCatalogImport(opened.db, results, options, dry.report.planId, {
      note: `import of ${inputs.map((i) => basename(i.path)).join(', ')}`,
      onProgress: (what, d, t) => {
        if (!tty) return;
        if (shown !== what) {
          if (shown) bar.stop();
          bar.start(t, 0, { file: what, rows: t });
          shown = what;
        }
        bar.update(d);
      },
    });
    if (shown) bar.stop();
    return done.report;
  } finally {
    await opened.close();
  }
}
