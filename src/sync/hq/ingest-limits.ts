import { z } from 'zod';

/**
 * How much one till batch may ask of HQ. A batch is one transaction that holds its terminal's row,
 * and on embedded PGlite it shares HQ's only thread, so an unbounded batch stalls every other till
 * and `/health`. The till sends 500 events per batch by default; the maxima leave room for that.
 * Set at start (`startHq({ ingest })`; the CLI takes TALLY_INGEST_MAX_EVENTS / TALLY_INGEST_MAX_BYTES).
 */
export const ingestLimitsSchema = z.object({
  /** Events in one batch; more is refused whole (413), naming `events`. */
  maxEventsPerBatch: z.coerce.number().int().positive().default(1_000),
  /** Bytes of one batch once unpacked (gzip inflated); more is refused (413) before it is parsed. */
  maxBatchBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
});
export type IngestLimits = z.output<typeof ingestLimitsSchema>;

export const defaultIngestLimits = (): IngestLimits => ingestLimitsSchema.parse({});

/**
 * One batch at a time per terminal (in this HQ process). A second batch from the same till while one
 * is being stored is answered 429 with Retry-After rather than queued: a queued request would hold its
 * parsed body in memory and its connection open, and a till retries on its own anyway. Several HQ
 * processes are still safe: the terminal's row lock serialises their transactions.
 */
export class TerminalGate {
  readonly #busy = new Set<string>();

  /** A release function when the terminal was free, undefined when a batch of it is in progress. */
  tryEnter(terminalId: string): (() => void) | undefined {
    if (this.#busy.has(terminalId)) return undefined;
    this.#busy.add(terminalId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#busy.delete(terminalId);
    };
  }
}
