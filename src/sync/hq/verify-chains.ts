import type { EventEnvelope } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type ChainLink, contentProblem, linkProblem } from '../ledger-chain.ts';
import { rowToEnvelope } from './ingest-projections.ts';
import { redactedAmong } from './redactions.ts';
import { syncDb } from './sync-tables.ts';

/**
 * Walks HQ's copy of each till's hash chain again (`tally hq verify-chains`): every held event whose
 * neighbour at seq - 1 is held must link to it, and every event in the log must still match its own
 * hash. Quarantined events count for the links only (their payload may have been redacted), and so
 * do events redacted in place (event_redactions, counted in `redacted`). Gaps are
 * not breaks here: ingest reports them, and the link is checked when the missing event arrives.
 * Ingest stores a known event type as its schema parsed it, so a till that sent fields HQ's schema
 * drops shows here as altered: HQ does not hold what the till chained.
 */
export interface HqChainBreak {
  terminalId: string;
  seq: number;
  eventId: string;
  reason: string;
}

export interface HqChainReport {
  terminals: number;
  events: number;
  /** Events whose payload was redacted in place (event_redactions): links checked, content not. */
  redacted: number;
  breaks: HqChainBreak[];
}

const PAGE = 2_000;

interface Walked extends ChainLink {
  id: string;
  /** Undefined when only the links can be checked (quarantined or redacted). */
  event: EventEnvelope | undefined;
  redacted?: boolean;
}

export async function verifyHqChains(db: HqDb, opts: { terminalId?: string } = {}): Promise<HqChainReport> {
  const terminals = opts.terminalId ? [opts.terminalId] : await chainedTerminals(db);
  const report: HqChainReport = { terminals: terminals.length, events: 0, redacted: 0, breaks: [] };
  for (const terminalId of terminals) {
    let prev: Walked | undefined;
    for await (const cur of walk(db, terminalId)) {
      report.events++;
      if (cur.redacted) report.redacted++;
      const problem =
        (cur.event && contentProblem(cur.event)) ??
        (cur.seq === 1
          ? linkProblem(terminalId, null, cur)
          : prev?.seq === cur.seq - 1
            ? linkProblem(terminalId, prev, cur)
            : undefined);
      if (problem) report.breaks.push({ terminalId, seq: cur.seq, eventId: cur.id, reason: problem });
      prev = cur;
    }
  }
  return report;
}

async function chainedTerminals(db: HqDb): Promise<string[]> {
  const s = syncDb(db);
  const rows = await s
    .selectFrom('events')
    .select('terminal_id')
    .where('chain_hash', 'is not', null)
    .union(s.selectFrom('sync_quarantine').select('terminal_id').where('chain_hash', 'is not', null))
    .execute();
  return rows.map((r) => r.terminal_id).sort();
}

/** One terminal's held events (log and quarantine) in seq order, a page at a time. */
async function* walk(db: HqDb, terminalId: string): AsyncGenerator<Walked> {
  const s = syncDb(db);
  let after = 0;
  for (;;) {
    const logged = await s
      .selectFrom('events')
      .selectAll()
      .where('terminal_id', '=', terminalId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    const last = logged.length === PAGE ? Number(logged[logged.length - 1]!.seq) : Number.MAX_SAFE_INTEGER;
    const quarantined = await s
      .selectFrom('sync_quarantine')
      .select(['event_id', 'seq', 'chain_prev_hash', 'chain_hash'])
      .where('terminal_id', '=', terminalId)
      .where('seq', '>', after)
      .where('seq', '<=', last)
      .execute();
    const redacted = await redactedAmong(
      db,
      logged.map((r) => r.id),
    );
    const page: Walked[] = [
      ...logged.map((r): Walked => {
        const base = rowToEnvelope(r);
        const chained = r.chain_hash !== null || r.chain_prev_hash !== null;
        return {
          id: base.id,
          seq: base.seq,
          prevHash: r.chain_prev_hash,
          hash: r.chain_hash,
          ...(redacted.has(base.id) ? { redacted: true } : {}),
          event:
            chained && !redacted.has(base.id)
              ? { ...base, prevHash: r.chain_prev_hash ?? undefined, hash: r.chain_hash ?? undefined }
              : undefined,
        };
      }),
      ...quarantined.map(
        (q): Walked => ({
          id: q.event_id,
          seq: Number(q.seq),
          prevHash: q.chain_prev_hash,
          hash: q.chain_hash,
          event: undefined,
        }),
      ),
    ].sort((a, b) => a.seq - b.seq);
    yield* page;
    if (logged.length < PAGE) return;
    after = last;
  }
}
