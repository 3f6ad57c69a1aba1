import type { SchemaMigration } from '../../../db/index.ts';

/**
 * Customers across the chain at HQ. `customer_keys` holds each customer's data key, received from the
 * till that registered them (or made here): it is not in the event log, so it survives a rebuild and is
 * what erasure destroys. The other tables are the profile projection of customer and sales events
 * (rebuilt by replay): the decrypted personal fields, a blind index of identifiers (HMAC under the HQ
 * secret in hq_config, never in events), consent history, and the erased ids tills must forget (each
 * insert takes a catalog version, so tills learn of it with their next catalog pull).
 *
 * Released: this text is frozen (test/fixtures/migrations.sha256.json); change the schema with a new
 * migration.
 */
export const hq0026CustomerProfiles: SchemaMigration = {
  id: '0026_customer_profiles',
  up: `
    CREATE TABLE customer_keys (
      customer_id uuid PRIMARY KEY,
      data_key text NOT NULL,
      source text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE customer_profiles (
      customer_id uuid PRIMARY KEY,
      registered_store_id text,
      registered_at timestamptz,
      schema_version integer,
      sealed_pii jsonb,
      phone text,
      email text,
      name text,
      card_number text,
      consents jsonb NOT NULL DEFAULT '{"marketing_email":false,"marketing_sms":false,"analytics":false}',
      stores_visited text[] NOT NULL DEFAULT '{}',
      first_purchase_at timestamptz,
      last_purchase_at timestamptz,
      purchase_count integer NOT NULL DEFAULT 0,
      spend_minor bigint NOT NULL DEFAULT 0,
      currency text,
      return_count integer NOT NULL DEFAULT 0,
      refund_minor bigint NOT NULL DEFAULT 0
    );

    -- The sales that named a customer, so a return finds its customer without searching the log.
    CREATE TABLE customer_sales (
      sale_id text PRIMARY KEY,
      customer_id uuid NOT NULL,
      store_id text NOT NULL,
      at timestamptz NOT NULL
    );
    CREATE INDEX customer_sales_customer ON customer_sales (customer_id);

    CREATE TABLE customer_identifiers (
      kind text NOT NULL CHECK (kind IN ('phone', 'email', 'card')),
      digest text NOT NULL,
      customer_id uuid NOT NULL,
      PRIMARY KEY (kind, digest, customer_id)
    );
    CREATE INDEX customer_identifiers_customer ON customer_identifiers (customer_id);

    CREATE TABLE customer_consent_history (
      event_id uuid PRIMARY KEY,
      customer_id uuid NOT NULL,
      purpose text NOT NULL,
      granted boolean NOT NULL,
      at timestamptz NOT NULL,
      channel text NOT NULL,
      store_id text,
      actor text
    );
    CREATE INDEX customer_consent_history_customer ON customer_consent_history (customer_id, at);

    CREATE TABLE customer_erasures (
      customer_id uuid PRIMARY KEY,
      erased_at timestamptz NOT NULL,
      event_id uuid NOT NULL
    );
    CREATE TRIGGER customer_erasures_track AFTER INSERT ON customer_erasures
      FOR EACH ROW EXECUTE FUNCTION catalog_track_change('erased_customer', 'customer_id');
  `,
};
