import type { SchemaMigration } from '../../../../db/index.ts';
import { hq0005Replenish } from './0005_replenish.ts';
import { hq0013OnOrder } from './0013_on_order.ts';

/** The HQ tables replenishment owns: draft purchase orders (0005) and what is on order (0013). */
export const replenishHqMigrations: readonly SchemaMigration[] = [hq0005Replenish, hq0013OnOrder];
