import type { SchemaMigration } from '../../db/index.ts';

/**
 * The till event an audit entry was made from. A rebuild replays the whole event log through the
 * projections, and the audit log cannot be emptied first (append-only), so the unique index is what
 * keeps a till's refund audited once however often it is replayed or redelivered. The event id is
 * also the entry's `request_id`, which the chain hash covers; this column only makes it unique.
 */
export const hq0021AuditSource: SchemaMigration = {
  id: '0021_audit_source',
  up: `
    ALTER TABLE audit_log ADD COLUMN source_event_id text;
    CREATE UNIQUE INDEX audit_log_source_event ON audit_log (source_event_id);
  `,
  down: `
    DROP INDEX audit_log_source_event;
    ALTER TABLE audit_log DROP COLUMN source_event_id;
  `,
};
