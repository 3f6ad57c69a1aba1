import type { SchemaMigration } from '../../../db/index.ts';
import { hq0009StoredValue } from './0009_stored_value.ts';

/** The HQ tables of the gift card and store credit ledger (0009). */
export const storedValueHqMigrations: readonly SchemaMigration[] = [hq0009StoredValue];
