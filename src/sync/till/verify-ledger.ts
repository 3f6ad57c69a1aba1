import type { EventEnvelope } from '../../core/index.ts';
import type { SqliteDb } from '../../db/index.ts';
import { type LedgerRow, ledgerRowToEnvelope } from '../ledger.ts';
import { type ChainLink, chainHash, contentProblem, genesisHash, linkProblem } from '../ledger-chain.ts';
import { redactedLedgerEvents } from './ledger-redactions.ts';

/**
 * `tally terminal verify-ledger`: walks one terminal's events in ledger.db in seq order and names the
 * first one that was altered, removed or reordered since it was written (ledger-chain.ts says what the
 * chain proves). Reads only; the till may keep running (WAL).
 *
 * Limits, by design of a keyless chain: events from before the chain (an upgraded till) are not
 * covered; an edit to the newest event that also recomputes its hash, or cutting off the newest events,
 * leaves a valid chain. The latter is caught when HQ had acknowledged more than the ledger now holds.
 */
export type LedgerBreakKind = 'altered' | 'removed' | 'reordered';

export interface LedgerBreak {
  kind: LedgerBreakKind;
  /** The position in the ledger where the tampering shows: the event altered, the seq missing, the seq moved into. */
  seq: number;
  /** The event found at that seq, if any. */
  eventId: string | undefined;
  message: string;
}

export interface LedgerVerification {
  terminalId: string;
  events: number;
  lastSeq: number;
  /** The first chained seq; undefined if no event is chained yet. */
  chainStartsAt: number | undefined;
  /** Events whose payload was redacted in place (ledger_redactions): links checked, content not. */
  redacted: number;
  firstBreak: LedgerBreak | undefined;
}

type Row = LedgerRow;

type Walked = ChainLink & { row: Row; event: EventEnvelope | undefined; redacted: boolean };

export function verifyLedger(db: SqliteDb, terminalId: string): LedgerVerification {
  const rows = db
    .prepare(
      `SELECT seq, terminal_id, id, store_id, type, schema_version, business_date, occurred_at, payload,
         chain_prev_hash, chain_hash, actor, approver
       FROM ledger WHERE terminal_id = ? ORDER BY seq`,
    )
    .iterate(terminalId) as IterableIterator<Row>;
  const seqOfHash = (hash: string): number | undefined =>
    db
      .prepare('SELECT seq FROM ledger WHERE terminal_id = ? AND chain_hash = ?')
      .pluck()
      .get(terminalId, hash) as number | undefined;

  const redactedIds = redactedLedgerEvents(db);
  let prev: Walked | null = null;
  let events = 0;
  let redacted = 0;
  let chainStartsAt: number | undefined;
  let firstBreak: LedgerBreak | undefined;
  for (const row of rows) {
    const cur = walked(row, redactedIds.has(row.id));
    events++;
    if (cur.redacted) redacted++;
    if (cur.hash != null) chainStartsAt ??= cur.seq;
    firstBreak = judge(terminalId, prev, cur, seqOfHash);
    if (firstBreak) {
      // Only the first break is named; stop reading (a tampered ledger may be long).
      return { terminalId, events, lastSeq: cur.seq, chainStartsAt, redacted, firstBreak };
    }
    prev = cur;
  }
  const lastSeq = prev?.seq ?? 0;
  const acked = db
    .prepare('SELECT acked_up_to FROM sync_state WHERE terminal_id = ?')
    .pluck()
    .get(terminalId) as number | undefined;
  if (acked !== undefined && acked > lastSeq)
    firstBreak = {
      kind: 'removed',
      seq: lastSeq + 1,
      eventId: undefined,
      message: `events from seq ${lastSeq + 1} to ${acked} are missing: HQ acknowledged them, the ledger ends at seq ${lastSeq}`,
    };
  return { terminalId, events, lastSeq, chainStartsAt, redacted, firstBreak };
}

function walked(row: Row, redacted: boolean): Walked {
  let event: EventEnvelope | undefined;
  try {
    event = ledgerRowToEnvelope(row);
  } catch {
    event = undefined; // the payload is no longer JSON: altered
  }
  return { seq: row.seq, prevHash: row.chain_prev_hash, hash: row.chain_hash, row, event, redacted };
}

/** The break `cur` shows, given the event before it (null before seq 1), named where it happened. */
function judge(
  terminalId: string,
  prev: Walked | null,
  cur: Walked,
  seqOfHash: (hash: string) => number | undefined,
): LedgerBreak | undefined {
  const at = (
    kind: LedgerBreakKind,
    seq: number,
    message: string,
    e: Walked | undefined = cur,
  ): LedgerBreak => ({
    kind,
    seq,
    eventId: e?.row.id,
    message,
  });
  const expectedSeq = (prev?.seq ?? 0) + 1;
  if (cur.seq !== expectedSeq)
    return at(
      'removed',
      expectedSeq,
      `seq ${expectedSeq}${cur.seq - 1 > expectedSeq ? ` to ${cur.seq - 1}` : ''} is missing from the ledger`,
      undefined,
    );
  // A redacted event no longer matches its hash by design (ledger-redactions.ts): its links still must.
  if (!cur.redacted && (!cur.event || contentProblem(cur.event)))
    return movedOrAltered(terminalId, cur, seqOfHash, at);
  if (linkProblem(terminalId, prev, cur) === undefined) return undefined;
  // Its own content is intact but it does not link to the event before it.
  if (prev && prev.hash != null && cur.hash == null)
    return at('altered', cur.seq, `event ${cur.row.id} at seq ${cur.seq} had its hash removed`);
  if (prev && prev.hash == null && cur.prevHash !== genesisHash(terminalId, cur.seq))
    return at('altered', prev.seq, `event ${prev.row.id} at seq ${prev.seq} had its hash removed`, prev);
  const linkedTo = cur.prevHash ? seqOfHash(cur.prevHash) : undefined;
  if (linkedTo !== undefined && linkedTo !== cur.seq - 1)
    return at(
      'reordered',
      cur.seq,
      `event ${cur.row.id} at seq ${cur.seq} was written after seq ${linkedTo}'s event: events were reordered`,
    );
  if (prev)
    return at(
      'altered',
      prev.seq,
      `event ${prev.row.id} at seq ${prev.seq} was altered and its hash recomputed: seq ${cur.seq} was written after a different event`,
      prev,
    );
  return at('altered', cur.seq, `event ${cur.row.id} at seq ${cur.seq} does not start the chain as it must`);
}

/**
 * An event whose hash no longer covers its content: intact but written under another seq (moved, or
 * renumbered after an earlier event was removed), or altered.
 */
function movedOrAltered(
  terminalId: string,
  cur: Walked,
  seqOfHash: (hash: string) => number | undefined,
  at: (kind: LedgerBreakKind, seq: number, message: string, e?: Walked) => LedgerBreak,
): LedgerBreak {
  const e = cur.event;
  const predSeq = cur.prevHash ? seqOfHash(cur.prevHash) : undefined;
  const candidates = [predSeq === undefined ? undefined : predSeq + 1, cur.seq + 1, cur.seq - 1];
  const writtenAs = e
    ? candidates.find((s) => s !== undefined && s > 0 && chainHash({ ...e, seq: s }) === e.hash)
    : undefined;
  if (writtenAs === undefined)
    return at('altered', cur.seq, `event ${cur.row.id} at seq ${cur.seq} was altered after it was written`);
  // Its predecessor still in the ledger: a move. Gone (and not a chain start): removed, later ones renumbered.
  const predPresent = predSeq !== undefined || cur.prevHash === genesisHash(terminalId, writtenAs);
  if (predPresent)
    return at(
      'reordered',
      cur.seq,
      `seq ${cur.seq} holds event ${cur.row.id}, which was written as seq ${writtenAs}: events were reordered`,
    );
  return at(
    'removed',
    cur.seq,
    `the event written as seq ${cur.seq} was removed and later events renumbered (seq ${cur.seq} now holds event ${cur.row.id}, written as seq ${writtenAs})`,
    undefined,
  );
}
