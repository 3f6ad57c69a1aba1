import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { AuditEntry, AuditQuery } from '../../access/index.ts';
import { invalid } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type HqDbCli, hqDbOptions, withHqDbCli } from './hq-db-cli.ts';

/**
 * `tally audit verify|list|promotion-history`: the audit log from HQ's database, for an auditor at
 * the server. `verify` exits 1 naming the first entry removed, reordered or altered.
 */
export async function auditVerify(db: HqDb, out: (line: string) => void): Promise<number> {
  const { verifyAuditChain } = await import('../../access/index.ts');
  const started = performance.now();
  const v = await verifyAuditChain(db);
  const ms = Math.round(performance.now() - started);
  if (v.ok) {
    out(`audit log intact: ${v.checked} entries, chain head ${v.headSeq} (${ms} ms)`);
    return 0;
  }
  out(`audit log broken at entry ${v.problem?.seq}: ${v.problem?.message}`);
  out(`entries 1 to ${v.checked} are intact; the chain head says ${v.headSeq}`);
  return 1;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `--since 2025-03-01` is that day's start, `--until 2025-03-01` its end (UTC); instants as given. */
export function cliInstant(option: '--since' | '--until', s: string | undefined): Date | undefined {
  if (s === undefined) return undefined;
  const d = new Date(DAY.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(d.getTime())) throw invalid(option, `"${s}" is not a date (YYYY-MM-DD) or an ISO instant`);
  if (option === '--until' && DAY.test(s)) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export const auditLine = (e: AuditEntry): string =>
  [
    e.seq,
    e.at.toISOString(),
    `${e.actorKind}:${e.actorId}`,
    e.action,
    e.outcome,
    e.targetType ? `${e.targetType}:${e.targetId}` : '-',
    e.storeId ?? '-',
    e.reason ?? '',
  ].join('\t');

interface ListOptions extends HqDbCli {
  user?: string;
  store?: string;
  action?: string;
  since?: string;
  until?: string;
  limit: string;
  csv?: boolean;
}

export async function auditList(db: HqDb, o: Omit<ListOptions, keyof HqDbCli>, out: Writable): Promise<void> {
  const { auditCsv, listAudit } = await import('../../access/index.ts');
  const q: AuditQuery = {
    user: o.user,
    stores: o.store === undefined ? undefined : [o.store],
    action: o.action,
    since: cliInstant('--since', o.since),
    until: cliInstant('--until', o.until),
  };
  if (o.csv) {
    await pipeline(auditCsv(db, q), out, { end: false });
    return;
  }
  const limit = Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw invalid('--limit', `expected a whole number from 1, got "${o.limit}"`);
  for (const e of await listAudit(db, { ...q, limit })) out.write(`${auditLine(e)}\n`);
}

export function registerAuditCommand(program: Command): void {
  const auditCmd = program
    .command('audit')
    .description("HQ's audit log: verify its hash chain, list or export entries");

  hqDbOptions(
    auditCmd
      .command('verify')
      .description('walk the hash chain; exit 1 naming the first entry removed, reordered or altered'),
  ).action(async (o: HqDbCli) => {
    const code = await withHqDbCli(o, 'tally-audit', (db) => auditVerify(db, (l) => console.log(l)));
    process.exitCode = code;
  });

  hqDbOptions(
    auditCmd
      .command('list')
      .description('entries newest first (tab-separated), or every matching entry as CSV with --csv')
      .option('--user <id>', 'who acted: username, terminal id or admin')
      .option('--store <id>', 'one store')
      .option('--action <action>', 'exact (auth.sign_in_failed) or a prefix (catalog)')
      .option('--since <date>', 'from this date (YYYY-MM-DD, UTC) or ISO instant')
      .option('--until <date>', 'up to the end of this date, or before this instant')
      .option('--limit <n>', 'entries to list (ignored with --csv)', '100')
      .option('--csv', 'CSV with a header row, every matching entry'),
  ).action(async (o: ListOptions) => {
    await withHqDbCli(o, 'tally-audit', (db) => auditList(db, o, process.stdout));
  });

  hqDbOptions(
    auditCmd
      .command('promotion-history <id>')
      .description('every version of a promotion, newest first, with who changed it'),
  ).action(async (id: string, o: HqDbCli) => {
    const { promotionHistory } = await import('../../catalog/hq/index.ts');
    await withHqDbCli(o, 'tally-audit', async (db) => {
      for (const v of await promotionHistory(db, id))
        console.log(
          [
            v.version,
            v.changedAt.toISOString(),
            v.changedBy,
            v.active ? 'active' : 'retired',
            JSON.stringify(v.definition),
          ].join('\t'),
        );
    });
  });
}
