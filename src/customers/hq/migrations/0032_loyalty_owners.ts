import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Whose points a movement is (HQ migration 0032). A movement is booked to the account of the person
 * (the survivor of any merge) but owned by the id the till or head office named, so an unmerge can give
 * the merged profile back what is its own: what it brought, earned and spent while merged. Merge and
 * unmerge transfers own nothing (NULL): they only move points between accounts. Movements before this
 * step were all booked to the id they named, except those transfers.
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0032LoyaltyOwners: SchemaMigration = {
  id: '0032_loyalty_owners',
  up: `
    ALTER TABLE loyalty_movements ADD COLUMN owner_id uuid;
    UPDATE loyalty_movements SET owner_id = customer_id
     WHERE movement_key NOT LIKE '%:merge-out' AND movement_key NOT LIKE '%:merge-in'
       AND movement_key NOT LIKE '%:unmerge-out' AND movement_key NOT LIKE '%:unmerge-in';
    CREATE INDEX loyalty_movements_owner ON loyalty_movements (owner_id, at);
  `,
  down: `
    DROP INDEX loyalty_movements_owner;
    ALTER TABLE loyalty_movements DROP COLUMN owner_id;
  `,
};
