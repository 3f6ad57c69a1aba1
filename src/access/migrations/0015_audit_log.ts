import type { SchemaMigration } from '../../db/index.ts';

/**
 * The audit log: who did what at HQ, in one hash chain. `seq` is gap-free because each entry takes the
 * next number from the one chain-head row under its row lock, in the writer's transaction; a rolled-back
 * change takes its entry (and the head's move) with it. Rows are never updated or deleted: a trigger
 * refuses it, so only someone able to disable triggers can rewrite history, and `verifyAuditChain`
 * then names the first entry touched.
 */
export const hq0015AuditLog: SchemaMigration = {
  id: '0015_audit_log',
  up: `
    CREATE TABLE audit_log (
      seq bigint PRIMARY KEY CHECK (seq > 0),
      id text NOT NULL UNIQUE,
      at timestamptz NOT NULL,
      actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'device', 'admin_token', 'system')),
      actor_id text NOT NULL,
      action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)+$'),
      target_type text,
      target_id text,
      store_id text,
      terminal_id text,
      route text,
      request_id text,
      outcome text NOT NULL CHECK (outcome IN ('ok', 'refused')),
      before jsonb,
      after jsonb,
      reason text,
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
    CREATE INDEX audit_log_store ON audit_log (store_id, seq);
    CREATE INDEX audit_log_action ON audit_log (action, seq);

    -- The chain's head: the last seq and hash. Its row lock is what serialises writers.
    CREATE TABLE audit_chain_head (
      id smallint PRIMARY KEY CHECK (id = 1),
      seq bigint NOT NULL,
      hash text NOT NULL
    );
    INSERT INTO audit_chain_head (id, seq, hash)
      VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

    CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
  `,
  down: `
    DROP TABLE audit_log, audit_chain_head;
    DROP FUNCTION audit_log_refuse_change;
  `,
};
