import { z } from 'zod';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 as 64 lower-case hex digits');

/**
 * The envelope every ledger event travels in, from the till's SQLite ledger to HQ's event log.
 * `seq` is gap-free per terminal; `id` is a UUIDv7 made on the till, so HQ can store each event once.
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid({ version: 'v7' }),
  type: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/, 'expected a dotted lower-case type such as sale.completed'),
  schemaVersion: z.number().int().positive(),
  storeId: z.string().min(1),
  terminalId: z.string().min(1),
  seq: z.number().int().positive(),
  businessDate: z.iso.date(),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
  /**
   * The till's hash chain (src/sync/ledger-chain.ts): the previous event's `hash` (or the chain's
   * genesis value) and this event's own. Optional: older tills and HQ's own events carry none.
   */
  prevHash: sha256Hex.optional(),
  hash: sha256Hex.optional(),
  /** Who did it: the user signed in at the till (their user id). Absent from older tills. */
  actor: z.string().min(1).max(64).optional(),
  /** Who approved it, when an approver's code and PIN allowed it. Absent from older tills. */
  approver: z.string().min(1).max(64).optional(),
});

export type EventEnvelope<P = Record<string, unknown>> = Omit<
  z.infer<typeof eventEnvelopeSchema>,
  'payload'
> & {
  payload: P;
};
