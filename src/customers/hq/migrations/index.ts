import type { SchemaMigration } from '../../../db/index.ts';
import { hq0026CustomerProfiles } from './0026_customer_profiles.ts';
import { hq0030CustomerMerges } from './0030_customer_merges.ts';
import { hq0034CustomerTillState } from './0034_customer_till_state.ts';

/**
 * The HQ tables of customers: data keys, profiles, identifier index, consent history, erasures (0026);
 * merges and dismissed duplicate pairs (0030); segments as tills see them, and what tills must hear of (0034).
 */
export const customersHqMigrations: readonly SchemaMigration[] = [
  hq0026CustomerProfiles,
  hq0030CustomerMerges,
  hq0034CustomerTillState,
];
