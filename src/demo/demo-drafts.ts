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
 * --stores S001 --save`, store by store), so every line has its own quantity, forecast and reason. Once: a database that holds any
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
  // One run per store, as each store's manager approves their own orders (a draft spanning stores
  // needs someone who may approve for all of them).
  const stores = await db.selectFrom('stores').select('id').orderBy('id').execute();
  let drafts = 0;
  let lines = 0;
  let runId = '';
  for (const { id } of stores) {
    const r = await replenishFromHq(db, { policy: defaultPolicy, storeIds: [id] });
    const saved = await saveDrafts(db, r.drafts, { actor: 'nightly', policy: defaultPolicy, storeIds: [id] });
    drafts += saved.ids.length;
    lines += r.drafts.reduce((s, d) => s + d.lines.length, 0);
    runId = r.run.id;
  }
  const message = `replenishment over forecast run ${runId} drafted ${lines} lines in ${drafts} orders`;
  opts.logger?.info({ runId, drafts, lines }, 'demo drafts from replenishment');
  return { drafts, lines, message };
}
