import type { SchemaMigration } from '../../../db/index.ts';
import { hq0003Backbone } from './0003_backbone.ts';
import { hq0012SyncIntegrity } from './0012_sync_integrity.ts';

/** The HQ tables sync owns: the event backbone (0003) and ingest's integrity records (0012). */
export const syncHqMigrations: readonly SchemaMigration[] = [hq0003Backbone, hq0012SyncIntegrity];
