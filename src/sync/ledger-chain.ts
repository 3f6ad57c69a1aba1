import { createHash } from 'node:crypto';
import type { EventEnvelope } from '../core/index.ts';

/**
 * The till ledger's hash chain, one rule for the till that writes it and HQ that checks it.
 *
 *   hash     = sha256_hex(prevHash + canonical JSON of the envelope without `hash`)
 *   prevHash = the `hash` of the same terminal's event at seq - 1, or, where the chain starts,
 *              genesisHash(terminalId, seq): at seq 1 on a new till, or at the first event written
 *              after a ledger with older unchained events was upgraded (those keep no hash; a
 *              backfill would need an UPDATE the append-only ledger refuses, and would prove nothing).
 *
 * Canonical JSON: object keys sorted at every depth, values as JSON.stringify writes them (undefined
 * left out, toJSON honoured), no whitespace. `occurredAt` is hashed as the UTC instant it names
 * (`toISOString`), because HQ keeps a timestamp and gives it back in UTC; the offset the till wrote is
 * not part of what the chain proves. Every other envelope field is hashed as it is, so a field the
 * envelope gains later is covered too (HQ must know the field before a till sends it, as for payloads).
 *
 * What the chain proves: an event changed, removed from the middle, or moved after later events were
 * written no longer links. It does not prove who wrote it (no key), and cutting off the newest events
 * leaves a valid shorter chain: HQ's acknowledgement and the till's mark catch that.
 */
const GENESIS_DOMAIN = 'tally ledger chain starts';

/** Where a terminal's chain starts at `seq`: the prevHash of its first chained event. */
export function genesisHash(terminalId: string, seq: number): string {
  return sha256Hex(`${GENESIS_DOMAIN}\n${terminalId}\n${seq}`);
}

/** The text the hash covers after prevHash: the envelope without `hash`, canonical. */
export function chainContent(e: EventEnvelope): string {
  const { hash: _hash, ...rest } = e;
  const occurred = Date.parse(e.occurredAt);
  return canonicalJson({
    ...rest,
    occurredAt: Number.isNaN(occurred) ? e.occurredAt : new Date(occurred).toISOString(),
  });
}

/** The hash an event must carry, given its own `prevHash`. */
export function chainHash(e: EventEnvelope): string {
  return sha256Hex(`${e.prevHash ?? ''}${chainContent(e)}`);
}

/** JSON with sorted keys and JSON.stringify's treatment of every value, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  const v = jsonValue(value);
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v))
    return `[${v.map((x) => (omitted(jsonValue(x)) ? 'null' : canonicalJson(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(o).sort()) {
    if (omitted(jsonValue(o[k]))) continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(o[k])}`);
  }
  return `{${parts.join(',')}}`;
}

const jsonValue = (v: unknown): unknown =>
  v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function'
    ? (v as { toJSON: () => unknown }).toJSON()
    : v;
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** One event's place in the chain: what a verifier needs besides its content. */
export interface ChainLink {
  seq: number;
  /** Absent (undefined or null) on an event written before the chain (an older till). */
  prevHash?: string | null | undefined;
  hash?: string | null | undefined;
}

const chained = (l: ChainLink): boolean => l.hash != null;

/**
 * Whether `e` links to the event before it. `pred` is the event held at seq - 1, or `null` when `e`
 * is seq 1 (nothing comes before it). Pure; the caller decides what "held" means (the till's ledger,
 * HQ's log and quarantine) and never calls it for a predecessor it does not hold.
 */
export function linkProblem(terminalId: string, pred: ChainLink | null, e: ChainLink): string | undefined {
  if ((e.prevHash == null) !== (e.hash == null))
    return `chain broke at seq ${e.seq}: it carries ${e.hash == null ? 'a prevHash without a hash' : 'a hash without a prevHash'}`;
  if (pred && chained(pred)) {
    if (!chained(e))
      return `chain broke at seq ${e.seq}: it carries no hash although seq ${pred.seq} is chained (its hash was removed)`;
    if (e.prevHash !== pred.hash)
      return `chain broke at seq ${e.seq}: its prevHash does not match the hash of seq ${pred.seq} (an event was changed, removed or moved)`;
    return undefined;
  }
  if (chained(e) && e.prevHash !== genesisHash(terminalId, e.seq))
    return `chain broke at seq ${e.seq}: its prevHash names no event, and ${e.seq === 1 ? 'it is the first event' : `seq ${e.seq - 1} carries no hash`} so it must start the chain (genesis for seq ${e.seq})`;
  return undefined;
}

/** Whether an event's hash covers its content: undefined if it does or carries no hash. */
export function contentProblem(e: EventEnvelope): string | undefined {
  if (e.hash == null || e.hash === chainHash(e)) return undefined;
  return `chain broke at seq ${e.seq}: its hash does not match its content (the event was altered after it was written)`;
}
