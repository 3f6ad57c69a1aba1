import { z } from 'zod';
import { API_BASE } from './api.ts';

/**
 * The audit log as the API and the dashboard see it: one entry per change or refusal at HQ, newest
 * first, with the filters a manager asks by (who, which store, what kind of action, when).
 */
export const AUDIT_PATHS = {
  list: `${API_BASE}/audit`,
  csv: `${API_BASE}/audit.csv`,
} as const;

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string().describe('ISO 8601 timestamp'),
  actorKind: z.enum(['user', 'device', 'admin_token', 'system']),
  actorId: z.string(),
  action: z.string().describe('dotted, e.g. catalog.price_changed'),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  storeId: z.string().nullable(),
  terminalId: z.string().nullable(),
  route: z.string().nullable(),
  requestId: z.string().nullable(),
  outcome: z.enum(['ok', 'refused']),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

const instant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date (YYYY-MM-DD) or instant')
  .optional();

export const auditQuerySchema = z.object({
  user: z.string().min(1).max(200).optional().describe('who acted (username, terminal id or admin)'),
  store: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(100).optional().describe('exact, or a prefix such as catalog'),
  from: instant.describe('entries at or after this instant (a date means its start, UTC)'),
  to: instant.describe('entries before this instant'),
  before: z.coerce.number().int().positive().optional().describe('next page: entries with a lower seq'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQueryInput = z.input<typeof auditQuerySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next page; null at the end. */
  nextBefore: z.number().int().nullable(),
  /** True when more entries match than this page holds (then nextBefore is set). */
  truncated: z.boolean(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
