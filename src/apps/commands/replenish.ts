import { join } from 'node:path';
import type { Command } from 'commander';
import { createLogger, invalid } from '../../core/index.ts';
import { parsePostgresUrl } from '../options.ts';
import { withHqDbCli } from './hq-db-cli.ts';

/**
 * `tally replenish --forecast <csv> --inputs <csv>`: reorder points, orders, the morning lists and draft
 * purchase orders; `--save` stores the drafts at HQ for a manager to approve, edit or reject.
 */
export function registerReplenishCommand(program: Command): void {
  program
    .command('replenish')
    .description('reorder points, order quantities, stock-out/slow/dead lists and draft purchase orders')
    .option('--forecast <csv>', 'forecast file from `tally forecast` (series_id,date,mean,p10,p50,p90)')
    .option(
      '--inputs <csv>',
      'series_id,store,sku,on_hand[,on_order,inbound,unit_cost_minor,supplier,lead_days,review_days,pack_size,min_order,capacity,order_cost_minor,last_sale_date]',
    )
    .option('--out <csv>', 'plan: one row per SKU-location')
    .option('--lists <dir>', 'write stockout-risk.csv, slow-movers.csv and dead-stock.csv here')
    .option(
      '--service <measure>',
      'fill-rate (share of demand served) or cycle (no stock-out per cycle)',
      'fill-rate',
    )
    .option('--target <level>', 'service level, 0.5–0.999', '0.95')
    .option('--model <name>', 'model name recorded on draft lines', 'tally forecast')
    .option('--save', 'store the draft purchase orders at HQ')
    .option('--actor <name>', 'who or what creates the drafts (recorded)', 'tally replenish')
    .option('--data <dir>', 'HQ PGlite data folder (with --save; ignored with --db)', join('.tally', 'hq'))
    .option('--db <url>', 'HQ PostgreSQL URL (with --save)', parsePostgresUrl)
    .option('--hq', "read HQ's latest stored forecast, stock and catalog instead of --forecast/--inputs")
    .option('--stores <ids>', 'with --hq: only these stores (comma-separated)')
    .option(
      '--lead-days <n>',
      'with --hq: lead time in days for every supplier (default: the suppliers table, else 7)',
    )
    .action(
      async (o: {
        forecast?: string;
        inputs?: string;
        hq?: boolean;
        stores?: string;
        leadDays?: string;
        out?: string;
        lists?: string;
        service: string;
        target: string;
        model: string;
        save?: boolean;
        actor: string;
        data: string;
        db?: string;
      }) => {
        if (o.service !== 'fill-rate' && o.service !== 'cycle')
          throw invalid('--service', 'fill-rate or cycle');
        const level = Number(o.target);
        if (!(level >= 0.5 && level <= 0.999))
          throw invalid('--target', `expected 0.5–0.999, got "${o.target}"`);
        const { defaultPolicy } = await import('../../intel/replenish/index.ts');
        const { runReplenishFiles } = await import('../../intel/replenish/index.ts');
        const policy = { ...defaultPolicy, service: { measure: o.service, level } as const };
        if (o.hq) {
          const { runReplenishHqCommand } = await import('./replenish-hq.ts');
          return runReplenishHqCommand(o, policy);
        }
        if (!o.forecast || !o.inputs)
          throw invalid(
            o.forecast ? '--inputs' : '--forecast',
            'is required (or use --hq to read HQ tables)',
          );
        const r = await runReplenishFiles({ ...o, forecast: o.forecast, inputs: o.inputs, policy });
        const lines = r.drafts.reduce((s, d) => s + d.lines.length, 0);
        console.error(
          `${r.rows} SKU-locations (${r.withoutForecast} without a forecast): ${lines} to order from ` +
            `${r.drafts.length} supplier(s); ${r.lists.stockouts.length} likely to stock out in ` +
            `${policy.stockoutDays} days, ${r.lists.slow.length} slow, ${r.lists.dead.length} dead`,
        );
        if (!o.save) return;
        const { saveDrafts } = await import('../../intel/replenish/index.ts');
        const saved = await withHqDbCli(o, createLogger('tally-replenish', 'warn'), (db) =>
          saveDrafts(db, r.drafts, { actor: o.actor, policy }),
        );
        console.log(JSON.stringify({ runId: saved.runId, drafts: saved.ids }, null, 2));
      },
    );
}
