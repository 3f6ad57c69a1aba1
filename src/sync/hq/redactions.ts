import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';

/**
 * Redacting a stored event's payload in place: the one exception to HQ's log being append-only, for
 * data the law says must go (an erased customer's fields in an event written before they were sealed).
 * The fields named are removed from the payload and the redaction is recorded (event_redactions), so
 * `verify-chains` knows why the content no longer matches its hash and says so instead of a break.
 * The caller decides which events and fields; sync knows no event's meaning.
 */
export async function redactEventFields(
  trx: HqDb,
  eventId: string,
  fields: readonly string[],
  reason: string,
): Promise<boolean> {
  if (fields.length === 0) return false;
  const r =
    await sql`UPDATE events SET payload = payload - ${[...fields]}::text[] WHERE id = ${eventId}`.execute(
      trx,
    );
  if (Number(r.numAffectedRows ?? 0) === 0) return false;
  await sql`INSERT INTO event_redactions (event_id, reason, fields) VALUES (${eventId}, ${reason}, ${[...fields]}::text[])
    ON CONFLICT (event_id) DO UPDATE SET fields = (
      SELECT array_agg(DISTINCT f) FROM unnest(event_redactions.fields || excluded.fields) f)`.execute(trx);
  return true;
}

/** Which of these events were redacted. */
export async function redactedAmong(db: HqDb, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await sql<{ event_id: string }>`SELECT event_id FROM event_redactions
    WHERE event_id = ANY(${[...eventIds]}::uuid[])`.execute(db);
  return new Set(rows.map((r) => r.event_id));
}
