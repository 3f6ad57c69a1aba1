import type { EventEnvelope } from '../core/event.ts';
import { payloadSchemas } from './ingest-projections.ts';

/**
 * HQ's rules for one till event, apart from storage: whether it may enter the event log, and the
 * payload to store (only what its schema allows). Pure, so ingest, rebuild and tests share it.
 * An event that fails is quarantined by ingest (kept, listed, its seq counted as held), never a 500.
 */
export interface EventCheckContext {
  /** HQ's clock, for business dates that cannot be right. */
  now: Date;
}

export type EventCheckResult =
  | { ok: true; event: EventEnvelope }
  | { ok: false; field: string; reason: string };

export function checkEvent(
  e: EventEnvelope,
  _ctx: EventCheckContext = { now: new Date() },
): EventCheckResult {
  const byVersion = payloadSchemas[e.type];
  if (!byVersion) return { ok: true, event: e };
  const schema = byVersion[e.schemaVersion];
  if (!schema)
    return {
      ok: false,
      field: 'schemaVersion',
      reason: `${e.type} v${e.schemaVersion} is not known to this HQ (knows ${Object.keys(byVersion).join(', ')})`,
    };
  const parsed = schema.safeParse(e.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['payload', ...(issue?.path ?? []).map(String)].join('.');
    return { ok: false, field, reason: issue?.message ?? 'invalid payload' };
  }
  return { ok: true, event: { ...e, payload: parsed.data as Record<string, unknown> } };
}
