import type { Command } from 'commander';
import { dataPath } from '../options.ts';
import { formatLedgerVerification, verifyLocalLedger } from '../terminal/verify-local.ts';

/**
 * `tally terminal [--data <dir>] verify-ledger [--json]`: checks the ledger's hash chain and names the
 * first event altered, removed or reordered. Exits 2 when it finds one, so monitoring can alert on it.
 */
export function registerVerifyLedgerCommand(terminal: Command): void {
  terminal
    .command('verify-ledger')
    .description(
      "check the till's ledger hash chain; names the first event altered, removed or reordered (uses --data)",
    )
    .option('--json', 'print JSON')
    .action(function (this: Command) {
      const o = this.optsWithGlobals<{ data: string; json?: boolean }>();
      const v = verifyLocalLedger(dataPath(o.data));
      console.log(o.json ? JSON.stringify(v, null, 2) : formatLedgerVerification(v));
      if (v.firstBreak) process.exitCode = 2;
    });
}
