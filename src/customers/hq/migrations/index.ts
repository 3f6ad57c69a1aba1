import type { SchemaMigration } from '../../../db/index.ts';
import { hq0026CustomerProfiles } from './0026_customer_profiles.ts';

/** The HQ tables of customers: data keys, profiles, identifier index, consent history, erasures (0026). */
export const customersHqMigrations: readonly SchemaMigration[] = [hq0026CustomerProfiles];
