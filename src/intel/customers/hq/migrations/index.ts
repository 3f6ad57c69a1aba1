import type { SchemaMigration } from '../../../../db/index.ts';
import { hq0031CustomerScores } from './0031_customer_scores.ts';

/** The HQ tables customer intelligence owns: score runs and per-customer scores (0031). */
export const customerIntelHqMigrations: readonly SchemaMigration[] = [hq0031CustomerScores];
