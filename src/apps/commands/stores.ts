import type { Command } from 'commander';
import { invalid } from '../../core/index.ts';
import { type HqDbCli, hqDbOptions, withHqDbCli } from './hq-db-cli.ts';

type AddCli = HqDbCli & {
  name: string;
  timeZone: string;
  currency: string;
  address?: string;
  taxExclusive?: boolean;
  locale?: string;
  taxRegion?: string;
  zone?: string;
  district?: string;
};

/**
 * `tally stores add|list`: open a store and list them, on HQ's own database as head office; the same
 * domain function as the dashboard's POST /api/v1/stores (catalog/hq/store-setup.ts), so the same
 * checks, tax region and district. The CLI writes no audit entry: its operator holds the database.
 */
export function registerStoresCommand(program: Command): void {
  const stores = program.command('stores').description("the chain's stores: open one, list them");

  hqDbOptions(
    stores
      .command('add <storeId>')
      .description('open a store (its tills can then be enrolled: tally hq tills code --store <id>)')
      .requiredOption('--name <name>', 'shown on screens and receipts')
      .requiredOption('--time-zone <iana>', 'e.g. Europe/Berlin')
      .requiredOption('--currency <iso4217>', 'e.g. EUR')
      .option('--address <text>', 'postal address', '')
      .option('--tax-exclusive', 'shelf prices exclude tax (US sales tax); default: they include it')
      .option('--locale <bcp47>', "e.g. de-DE (default: the time zone's usual one)")
      .option(
        '--tax-region <jurisdictionId>',
        'the tax jurisdiction that governs it (required when any is published)',
      )
      .option('--zone <zoneId>', 'price zone')
      .option('--district <districtId>', 'district (its district managers then see the store)'),
  ).action(async (storeId: string, o: AddCli) => {
    const { openStore } = await import('../../catalog/hq/index.ts');
    const s = await withHqDbCli(o, 'tally-stores', (db) =>
      openStore(db, {
        storeId,
        name: o.name,
        address: o.address ?? '',
        timeZone: o.timeZone,
        currency: o.currency,
        taxInclusive: !o.taxExclusive,
        ...(o.locale ? { locale: o.locale } : {}),
        ...(o.taxRegion ? { taxJurisdictionId: o.taxRegion } : {}),
        ...(o.zone ? { zoneId: o.zone } : {}),
        ...(o.district ? { districtId: o.district } : {}),
      }),
    );
    console.log(
      `opened ${s.storeId} (${s.name}, ${s.timeZone}, ${s.currency}${s.taxJurisdictionId ? `, tax ${s.taxJurisdictionId}` : ''})`,
    );
  });

  hqDbOptions(
    stores
      .command('list')
      .description('list stores with their time zone, currency, locale, zone and tax region')
      .option('--json', 'print JSON'),
  ).action(async (o: HqDbCli & { json?: boolean }) => {
    const { listStoreSetups } = await import('../../catalog/hq/index.ts');
    const rows = await withHqDbCli(o, 'tally-stores', (db) => listStoreSetups(db, 'all'));
    if (o.json) return console.log(JSON.stringify(rows, null, 2));
    if (rows.length === 0) throw invalid('stores', 'no stores yet: open one with tally stores add');
    for (const s of rows)
      console.log(
        [
          s.storeId,
          s.name,
          s.timeZone,
          s.currency,
          s.locale,
          s.zoneId ?? '-',
          s.taxJurisdictionId ?? '-',
        ].join('\t'),
      );
  });
}
