import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { HqDb } from '../db/index.ts';
import type { AuditEntry } from './audit-entry.ts';
import { type AuditQuery, listAudit } from './audit-log.ts';

/**
 * The audit log as CSV, streamed a page at a time so an export of a year costs HQ one page of memory.
 * Cells a spreadsheet would run as a formula (=, +, -, @ first) get a leading quote: the log holds text
 * people typed, and opening an export must not execute it.
 */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actor_kind',
  'actor_id',
  'action',
  'target_type',
  'target_id',
  'store_id',
  'terminal_id',
  'route',
  'request_id',
  'outcome',
  'reason',
  'before',
  'after',
  'hash',
] as const;

const defused = (s: string | null): string => (s !== null && /^[=+\-@\t\r]/.test(s) ? `'${s}` : (s ?? ''));

const json = (v: unknown): string => (v === null || v === undefined ? '' : JSON.stringify(v));

export const auditCsvRow = (e: AuditEntry): string[] => [
  String(e.seq),
  e.at.toISOString(),
  e.actorKind,
  defused(e.actorId),
  e.action,
  defused(e.targetType),
  defused(e.targetId),
  defused(e.storeId),
  defused(e.terminalId),
  defused(e.route),
  defused(e.requestId),
  e.outcome,
  defused(e.reason),
  defused(json(e.before)),
  defused(json(e.after)),
  e.hash,
];

async function* pages(db: HqDb, q: AuditQuery, pageSize: number): AsyncGenerator<string[]> {
  let before = q.beforeSeq;
  for (;;) {
    const page = await listAudit(db, { ...q, beforeSeq: before, limit: pageSize });
    for (const e of page) yield auditCsvRow(e);
    if (page.length < pageSize) return;
    before = page[page.length - 1]!.seq;
  }
}

/** Every entry matching `q` (its limit ignored), newest first, as a CSV stream with a header row. */
export function auditCsv(db: HqDb, q: AuditQuery, pageSize = 1_000): Readable {
  const csv = stringify({ header: true, columns: [...AUDIT_CSV_COLUMNS] });
  // pipeline, not pipe: a failed read destroys the CSV stream too, so the response ends instead of hanging.
  pipeline(Readable.from(pages(db, q, pageSize)), csv, () => undefined);
  return csv;
}
