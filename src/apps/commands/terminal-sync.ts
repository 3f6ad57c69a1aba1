import type { Command } from 'commander';
import { dataPath } from '../options.ts';
import { formatSyncStatus, readLocalSyncStatus, retryLocalSync } from '../terminal/sync-local.ts';

/**
 * `tally terminal [--data <dir>] sync-status [--json] [--retry --by <name>]`: what HQ does not hold,
 * and why sending stopped if it did, read from the till's data folder. Exits 2 while sync is stopped,
 * so a store's monitoring can alert on it (also once HQ revoked the till).
 */
export function registerSyncStatusCommand(terminal: Command): void {
  terminal
    .command('sync-status')
    .description(
      "the till's sync state: unsent events, conflicts HQ refused, a ledger behind HQ (uses --data)",
    )
    .option('--json', 'print JSON')
    .option('--retry', 'after head office dealt with the conflicts: clear them so the till asks HQ again')
    .option('--by <name>', 'who decided to retry (required with --retry)')
    .action(function (this: Command) {
      const o = this.optsWithGlobals<{ data: string; json?: boolean; retry?: boolean; by?: string }>();
      const dir = dataPath(o.data);
      if (o.retry) {
        const cleared = retryLocalSync(dir, o.by ?? '');
        console.error(
          `cleared ${cleared.conflicts} conflict(s)${cleared.rollback ? ' and the rollback notice' : ''}; the till asks HQ again on its next try`,
        );
      }
      const s = readLocalSyncStatus(dir);
      console.log(o.json ? JSON.stringify(s, null, 2) : formatSyncStatus(s));
      if (s.state === 'conflict' || s.state === 'revoked') process.exitCode = 2;
    });
}
