import { createHash } from 'node:crypto';
import type { EventEnvelope } from '../../core/index.ts';

/**
 * What makes two deliveries of one event id "the same event": a sha256 over its canonical content.
 * Hashed is the event as HQ stores it (after `checkEvent` stripped what the schema does not allow), so
 * a till resending identical data always matches, while a change to any stored field conflicts.
 * The id is not hashed (it is the key the hash is compared under); `occurredAt` is hashed as the
 * instant it names, because the log keeps a timestamp and gives it back in UTC.
 */
export function eventContentHash(e: EventEnvelope): string {
  const occurred = Date.parse(e.occurredAt);
  return createHash('sha256')
    .update(
      canonicalJson({
        type: e.type,
        schemaVersion: e.schemaVersion,
        storeId: e.storeId,
        terminalId: e.terminalId,
        seq: e.seq,
        businessDate: e.businessDate,
        occurredAt: Number.isNaN(occurred) ? e.occurredAt : new Date(occurred).toISOString(),
        payload: e.payload,
        // Absent keys are left out of the text, so events without them hash as they always did.
        actor: e.actor,
        approver: e.approver,
      }),
    )
    .digest('hex');
}

/** JSON with object keys sorted at every depth, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
