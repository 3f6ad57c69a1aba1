import type { Logger } from 'pino';
import type { HqDb } from '../db/index.ts';
import { defaultPolicy, replenishFromHq, saveDrafts } from '../intel/replenish/index.ts';

export interface DemoDraftsResult {
  drafts: number;
  lines: number;
  message: string;
}

/**
 * The demo's draft purchase orders, made the way a real chain gets them: replenishment run over the
 * latest stored forecast of the seeded history, the stock and the catalog (`tally replenish --hq
 * --save`), so every line has its own quantity, forecast and reason. Once: a database that holds any
 * draft already is left alone. Needs a finished forecast run.
 */
export async function seedDemoDrafts(db: HqDb, opts: { logger?: Logger } = {}): Promise<DemoDraftsResult> {
  const any = await db
    .withTables<{ purchase_drafts: { id: string } }>()
    .selectFrom('purchase_drafts')
    .select('id')
    .limit(1)
    .executeTakeFirst();
  if (any) return { drafts: 0, lines: 0, message: 'the database already has draft purchase orders' };
  const r = await replenishFromHq(db, { policy: defaultPolicy });
  const saved = await saveDrafts(db, r.drafts, { actor: 'nightly', policy: defaultPolicy, storeIds: 'all' });
  const lines = r.drafts.reduce((s, d) => s + d.lines.length, 0);
  const message = `replenishment over forecast run ${r.run.id} drafted ${lines} lines for ${saved.ids.length} supplier(s)`;
  opts.logger?.info({ runId: r.run.id, drafts: saved.ids.length, lines }, 'demo drafts from replenishment');
  return { drafts: saved.ids.length, lines, message };
}
