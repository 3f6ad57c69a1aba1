import type { Command } from 'commander';
import { invalid } from '../../core/index.ts';
import { type HqDbCli, hqDbOptions, idList, withHqDbCli } from './hq-db-cli.ts';

interface AddCli extends HqDbCli {
  date: string;
  name: string;
  type?: string;
  stores?: string[];
  region?: string[];
}

const scopeText = (scope: string, ids: readonly string[]): string =>
  scope === 'chain' ? 'whole chain' : `${scope === 'region' ? 'region' : 'stores'} ${ids.join(',')}`;

/**
 * `tally calendar add|list|region`: the chain's calendar of events that forecasts read (holidays, local
 * events, SNAP days), for the whole chain, a region or some stores. `tally import m5` fills it from M5.
 */
export function registerCalendarCommand(program: Command): void {
  const calendar = program
    .command('calendar')
    .description('events forecasts should know about (holidays, SNAP days), chain-wide, per region or store');

  hqDbOptions(
    calendar
      .command('add')
      .description('add an event; forecasts refreshed afterwards see it on that day')
      .requiredOption('--date <YYYY-MM-DD>', 'the day')
      .requiredOption('--name <name>', 'e.g. "Christmas Eve"')
      .option('--type <type>', 'e.g. National, Religious, Cultural, Sporting; SNAP marks a SNAP day', 'Event')
      .option('--stores <ids>', 'only these stores (comma-separated; default: the whole chain)', idList)
      .option('--region <codes>', 'only the stores in these regions (comma-separated, e.g. CA)', idList),
  ).action(async (o: AddCli) => {
    if (o.stores && o.region) throw invalid('--stores', 'give --stores or --region, not both');
    const scope = o.stores ? 'stores' : o.region ? 'region' : 'chain';
    const scopeIds = o.stores ?? o.region ?? [];
    const { addCalendarEvents } = await import('../../catalog/hq/index.ts');
    await withHqDbCli(o, 'tally-calendar', (db) =>
      addCalendarEvents(db, [{ date: o.date, name: o.name, type: o.type ?? 'Event', scope, scopeIds }]),
    );
    console.log(`${o.date} ${o.name} (${o.type ?? 'Event'}; ${scopeText(scope, scopeIds)})`);
  });

  hqDbOptions(
    calendar
      .command('list')
      .description('list events, by date')
      .option('--from <YYYY-MM-DD>', 'from this day')
      .option('--to <YYYY-MM-DD>', 'up to this day'),
  ).action(async (o: HqDbCli & { from?: string; to?: string }) => {
    const { listCalendarEvents, storeRegions } = await import('../../catalog/hq/index.ts');
    await withHqDbCli(o, 'tally-calendar', async (db) => {
      const events = await listCalendarEvents(db, {
        ...(o.from ? { from: o.from } : {}),
        ...(o.to ? { to: o.to } : {}),
      });
      for (const e of events)
        console.log(`${e.date}\t${e.name}\t${e.type}\t${scopeText(e.scope, e.scopeIds)}\t${e.source}`);
      const regions = new Map<string, string[]>();
      for (const [store, region] of await storeRegions(db))
        regions.set(region, [...(regions.get(region) ?? []), store]);
      console.error(
        `${events.length} events; regions: ${
          regions.size ? [...regions].map(([r, s]) => `${r} (${s.sort().join(',')})`).join(', ') : 'none'
        }`,
      );
    });
  });

  hqDbOptions(
    calendar
      .command('region <code>')
      .description('put stores in a region (e.g. their state), for events and SNAP days given by region')
      .requiredOption('--stores <ids>', 'comma-separated store ids', idList),
  ).action(async (code: string, o: HqDbCli & { stores: string[] }) => {
    const { setStoreRegions } = await import('../../catalog/hq/index.ts');
    await withHqDbCli(o, 'tally-calendar', (db) =>
      setStoreRegions(db, new Map(o.stores.map((s) => [s, code]))),
    );
    console.log(`region ${code}: ${o.stores.join(', ')}`);
  });
}
