import type { SchemaMigration } from '../../../db/index.ts';

/**
 * A store's locale (BCP 47, "de-DE"): how its tills and screens write dates, times and numbers. Null
 * for stores made before it, which then follow their time zone's usual locale (contracts/locale.ts).
 */
export const hq0022StoreLocale: SchemaMigration = {
  id: '0022_store_locale',
  up: `ALTER TABLE stores ADD COLUMN locale text;`,
  down: `ALTER TABLE stores DROP COLUMN locale;`,
};
