import { sql } from 'kysely';
import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type ChainLink, contentProblem, linkProblem } from '../ledger-chain.ts';
import type { HeldEvent } from './ingest-classify.ts';
import { syncDb } from './sync-tables.ts';

/**
 * Ingest's check of a till's hash chain. An event is judged against what HQ holds next to it: its
 * content against its own hash, its prevHash against the hash held for seq - 1, and its hash against
 * the prevHash held for seq + 1. Batches may arrive in any order and with gaps, so a link is checked
 * by whichever of its two events arrives second; an event whose neighbours HQ does not hold yet is
 * accepted on its own hash alone and its links are checked when they arrive. A break is a `conflict`
 * (never stored, the till stops and shows it); events with no hash pass as before unless a chained
 * neighbour says a hash was removed.
 */
export interface HeldLink extends ChainLink {
  held: HeldEvent;
}

/** Held links of one terminal by seq: loaded for a batch, then kept current as the batch is judged. */
export type ChainIndex = Map<number, HeldLink>;

/** The links HQ holds at the batch's seqs and their neighbours: one query over the log and quarantine. */
export async function loadChainLinks(
  trx: HqDb,
  terminalId: string,
  events: readonly EventEnvelope[],
): Promise<ChainIndex> {
  const index: ChainIndex = new Map();
  const seqs = new Set<number>();
  for (const e of events) for (const s of [e.seq - 1, e.seq, e.seq + 1]) if (s > 0) seqs.add(s);
  if (seqs.size === 0) return index;
  const db = syncDb(trx);
  const wanted = [...seqs];
  const rows = await db
    .selectFrom('events')
    .select([
      sql<string>`id::text`.as('id'),
      'seq',
      'content_hash',
      'chain_prev_hash',
      'chain_hash',
      sql<'log' | 'quarantine'>`'log'`.as('where'),
    ])
    .where('terminal_id', '=', terminalId)
    .where('seq', 'in', wanted)
    .unionAll(
      db
        .selectFrom('sync_quarantine')
        .select([
          'event_id as id',
          'seq',
          'content_hash',
          'chain_prev_hash',
          'chain_hash',
          sql<'log' | 'quarantine'>`'quarantine'`.as('where'),
        ])
        .where('terminal_id', '=', terminalId)
        .where('seq', 'in', wanted),
    )
    .execute();
  for (const r of rows) {
    const seq = Number(r.seq);
    index.set(seq, {
      seq,
      prevHash: r.chain_prev_hash,
      hash: r.chain_hash,
      held: { where: r.where, id: r.id, terminalId, seq, hash: r.content_hash ?? '' },
    });
  }
  return index;
}

export interface ChainBreak {
  reason: string;
  /** The held neighbour the event does not fit with, for the conflict's record. */
  held: HeldEvent | undefined;
}

/**
 * Whether a delivered event breaks its terminal's chain. `duplicate` is true when HQ already holds this
 * very event (same id and content): then only its chain fields must match what HQ holds.
 */
export function chainBreak(e: EventEnvelope, links: ChainIndex, duplicate: boolean): ChainBreak | undefined {
  if (duplicate) {
    const same = links.get(e.seq);
    if (!same || (same.hash ?? null) === (e.hash ?? null)) return undefined;
    return {
      reason: `chain broke at seq ${e.seq}: HQ holds this event with hash ${same.hash ?? 'none'}, the till now sends ${e.hash ?? 'none'}`,
      held: same.held,
    };
  }
  const own = contentProblem(e);
  if (own) return { reason: own, held: undefined };
  const pred = e.seq === 1 ? null : links.get(e.seq - 1);
  if (pred !== undefined) {
    const p = linkProblem(e.terminalId, pred, e);
    if (p) return { reason: `${p}, as HQ holds it`, held: pred?.held };
  }
  const succ = links.get(e.seq + 1);
  if (succ) {
    const p = linkProblem(e.terminalId, e, succ);
    if (p)
      return {
        reason: `${p}: HQ holds seq ${succ.seq}, and this event (seq ${e.seq}) does not fit before it`,
        held: succ.held,
      };
  }
  return undefined;
}

/** Records an event HQ now holds, so later events of the batch are judged against it. */
export function markLinked(links: ChainIndex, e: EventEnvelope, held: HeldEvent): void {
  links.set(e.seq, { seq: e.seq, prevHash: e.prevHash ?? null, hash: e.hash ?? null, held });
}
