import type { SchemaMigration } from '../../db/index.ts';
import { hq0015AuditLog } from './0015_audit_log.ts';
import { hq0021AuditSource } from './0021_audit_source.ts';

/** The HQ tables the audit log owns (0015, 0021); apps/shared/hq-migrations.ts lists them with the rest. */
export const auditHqMigrations: readonly SchemaMigration[] = [hq0015AuditLog, hq0021AuditSource];
