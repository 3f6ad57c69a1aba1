import type { SchemaMigration } from '../../../db/index.ts';
import { hq0003Backbone } from './0003_backbone.ts';
import { hq0012SyncIntegrity } from './0012_sync_integrity.ts';
import { hq0018LedgerChain } from './0018_ledger_chain.ts';
import { hq0020EventActor } from './0020_event_actor.ts';
import { hq0027EventRedactions } from './0027_event_redactions.ts';

/** The HQ tables sync owns: the event backbone (0003), ingest's integrity records (0012), the tills' hash chains (0018), who did each till event (0020), payloads redacted in place (0027). */
export const syncHqMigrations: readonly SchemaMigration[] = [
  hq0003Backbone,
  hq0012SyncIntegrity,
  hq0018LedgerChain,
  hq0020EventActor,
  hq0027EventRedactions,
];
