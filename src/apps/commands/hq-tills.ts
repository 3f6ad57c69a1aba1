import type { Command } from 'commander';
import type { TerminalListEntry } from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import { type HqDbCli, withHqDbCli } from './hq-db-cli.ts';

/**
 * `tally hq [--data <dir> | --db <url>] tills code|revoke|list`: head office's side of tills as devices,
 * on HQ's database (PGlite's folder is locked while HQ runs: stop it, or use PostgreSQL, or the routes
 * under /api/v1/terminals with the admin token).
 */

const MAX_TTL_MS = 7 * 24 * 3_600_000;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m`, `2h`, `1d`, `90s`, or a bare number of minutes. */
export function parseTtl(value: string): number {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(value);
  const ms = m ? Number(m[1]) * (UNIT_MS[(m[2] || 'm').toLowerCase()] ?? 60_000) : Number.NaN;
  if (!(ms >= 60_000 && ms <= MAX_TTL_MS))
    throw invalid('--ttl', `expected a time from 1m to 7d such as 15m, 2h or 1d, got "${value}"`);
  return ms;
}

export function formatTillList(list: readonly TerminalListEntry[]): string {
  if (list.length === 0) return 'no tills enrolled';
  return list
    .map((t) =>
      [
        t.terminalId,
        t.storeId,
        t.revoked ? `REVOKED ${t.revoked.at} by ${t.revoked.by}: ${t.revoked.reason}` : 'active',
        `last seen ${t.lastSeenAt ?? 'never'}`,
        ...(t.name ? [t.name] : []),
      ].join('\t'),
    )
    .join('\n');
}

const dbOf = (c: Command): HqDbCli => c.optsWithGlobals<HqDbCli>();

export function registerTillsCommands(hq: Command): void {
  const tills = hq.command('tills').description("the chain's tills: enrollment codes, revocation, the list");

  tills
    .command('code')
    .description('issue a one-time enrollment code for a new till (shown once; the till runs --enroll-code)')
    .requiredOption('--store <id>', 'store the till belongs to, e.g. S001')
    .option('--terminal <id>', 'terminal id the till gets (default: the next free, e.g. S001-T03)')
    .option('--ttl <time>', 'how long the code works: 15m, 2h, 1d (at most 7d)', parseTtl)
    .action(async function (this: Command) {
      const o = this.opts<{ store: string; terminal?: string; ttl?: number }>();
      const { issueEnrollmentCode } = await import('../../access/index.ts');
      const issued = await withHqDbCli(dbOf(this), 'tally-tills', (db) =>
        issueEnrollmentCode(db, {
          storeId: o.store,
          ...(o.terminal ? { terminalId: o.terminal } : {}),
          ...(o.ttl ? { ttlMs: o.ttl } : {}),
          createdBy: 'cli',
        }),
      );
      console.log(issued.code);
      console.error(
        `enrollment code for ${issued.storeId}${issued.terminalId ? ` (${issued.terminalId})` : ''}, works once until ${issued.expiresAt}: on the till run tally terminal --hq <HQ URL> --enroll-code -`,
      );
    });

  tills
    .command('revoke <terminalId>')
    .description(
      "revoke a till: HQ refuses its calls with the reason; unsent sales stay in the till's ledger",
    )
    .requiredOption('--reason <text>', 'why, shown on the till, e.g. "reported stolen"')
    .action(async function (this: Command, terminalId: string) {
      const o = this.opts<{ reason: string }>();
      if (o.reason.trim() === '') throw invalid('--reason', 'say why; the till shows it to its cashier');
      const { revokeTerminal } = await import('../../access/index.ts');
      const t = await withHqDbCli(dbOf(this), 'tally-tills', (db) =>
        revokeTerminal(db, { terminalId, reason: o.reason.trim(), by: 'cli' }),
      );
      console.log(formatTillList([t]));
    });

  tills
    .command('list')
    .description('every till with its store, last seen, and whether it is revoked')
    .option('--store <id>', 'only this store')
    .option('--json', 'print JSON')
    .action(async function (this: Command) {
      const o = this.opts<{ store?: string; json?: boolean }>();
      const { listTerminals } = await import('../../access/index.ts');
      const list = await withHqDbCli(dbOf(this), 'tally-tills', (db) => listTerminals(db, o.store));
      console.log(o.json ? JSON.stringify(list, null, 2) : formatTillList(list));
    });
}
