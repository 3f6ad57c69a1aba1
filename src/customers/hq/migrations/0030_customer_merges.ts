import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Identity at HQ. `customer_merges` is part of the profile projection (rebuilt from customer.merged /
 * customer.unmerged): each merged profile points at the one it was merged into, and reads follow the
 * chain to the survivor. `customer_duplicate_dismissals` is a reviewer's decision that a pair is two
 * people, kept out of the duplicate queue; it is not in the event log (nothing downstream needs it), so a
 * rebuild keeps it. Head-office admins get merge_customers (other roles are given it by editing them).
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0030CustomerMerges: SchemaMigration = {
  id: '0030_customer_merges',
  up: `
    CREATE TABLE customer_merges (
      merged_id uuid PRIMARY KEY,
      survivor_id uuid NOT NULL,
      merged_at timestamptz NOT NULL,
      event_id uuid NOT NULL
    );
    CREATE INDEX customer_merges_survivor ON customer_merges (survivor_id);

    CREATE TABLE customer_duplicate_dismissals (
      customer_a uuid NOT NULL,
      customer_b uuid NOT NULL,
      dismissed_at timestamptz NOT NULL DEFAULT now(),
      actor text,
      reason text,
      PRIMARY KEY (customer_a, customer_b),
      CHECK (customer_a < customer_b)
    );

    INSERT INTO role_permissions (role_id, permission)
      SELECT id, 'merge_customers' FROM roles WHERE id = 'hq_admin'
      ON CONFLICT DO NOTHING;
  `,
};
