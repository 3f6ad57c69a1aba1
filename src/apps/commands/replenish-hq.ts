import { createLogger, invalid } from '../../core/index.ts';
import type { PolicyParams } from '../../intel/replenish/index.ts';
import { withHqDbCli } from './hq-db-cli.ts';

export interface ReplenishHqCli {
  data: string;
  db?: string;
  stores?: string;
  leadDays?: string;
  save?: boolean;
  actor: string;
}

/**
 * `tally replenish --hq`: the same plan, lists and drafts as the file path, read from HQ's latest stored
 * forecast, inventory projection and catalog. Prints what it found; --save stores the drafts.
 */
export async function runReplenishHqCommand(o: ReplenishHqCli, policy: PolicyParams): Promise<void> {
  const leadDays = o.leadDays === undefined ? undefined : Number(o.leadDays);
  if (leadDays !== undefined && !(Number.isFinite(leadDays) && leadDays >= 0))
    throw invalid('--lead-days', `expected days ≥ 0, got "${o.leadDays}"`);
  const storeIds = o.stores
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const log = createLogger('tally-replenish', 'warn');
  const { replenishFromHq } = await import('../../intel/replenish/index.ts');
  const { saveDrafts } = await import('../../intel/replenish/index.ts');
  await withHqDbCli(o, log, async (db) => {
    const r = await replenishFromHq(db, {
      policy,
      ...(storeIds ? { storeIds } : {}),
      ...(leadDays !== undefined ? { leadDays } : {}),
    });
    const lines = r.drafts.reduce((s, d) => s + d.lines.length, 0);
    console.error(
      `forecast run ${r.run.id} (history to ${r.today}): ${r.rows.length} SKU-locations ` +
        `(${r.withoutForecast} without a forecast): ${lines} to order from ${r.drafts.length} supplier(s); ` +
        `${r.lists.stockouts.length} likely to stock out in ${policy.stockoutDays} days, ` +
        `${r.lists.slow.length} slow, ${r.lists.dead.length} dead`,
    );
    if (!o.save) return;
    const saved = await saveDrafts(db, r.drafts, {
      actor: o.actor,
      policy,
      storeIds: storeIds ?? 'all',
    });
    console.log(
      JSON.stringify({ runId: saved.runId, drafts: saved.ids, superseded: saved.superseded }, null, 2),
    );
  });
}
