import type { SchemaMigration } from '../../../db/index.ts';
import { hq0026CustomerProfiles } from './0026_customer_profiles.ts';
import { hq0030CustomerMerges } from './0030_customer_merges.ts';

/**
 * The HQ tables of customers: data keys, profiles, identifier index, consent history, erasures (0026);
 * merges and dismissed duplicate pairs (0030).
 */
export const customersHqMigrations: readonly SchemaMigration[] = [
  hq0026CustomerProfiles,
  hq0030CustomerMerges,
];
