import type { Command } from 'commander';
import { createLogger } from '../../core/index.ts';
import { verifyHqChains } from '../../sync/hq/index.ts';
import type { withDb } from './hq.ts';

/**
 * `tally hq [--data <dir> | --db <url>] verify-chains [--terminal <id>] [--json]`: walks HQ's copy of
 * every till's hash chain again and lists each break. Exits 2 when it finds one.
 */
export function registerVerifyChainsCommand(
  hq: Command,
  // Passed in by hq.ts, which opens HQ's database for every maintenance command.
  openDb: typeof withDb,
): void {
  hq.command('verify-chains')
    .description(
      "walk HQ's copy of each till's ledger hash chain again and list every break (uses hq's --data or --db)",
    )
    .option('--terminal <id>', 'only this terminal')
    .option('--json', 'print JSON')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals<{ data?: string; db?: string; terminal?: string; json?: boolean }>();
      const log = createLogger('tally-verify-chains', 'warn');
      const report = await openDb(o, log, (db) =>
        verifyHqChains(db, o.terminal ? { terminalId: o.terminal } : {}),
      );
      if (o.json) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(
          `${report.terminals} terminal(s), ${report.events} event(s) walked, ${report.breaks.length} break(s)${report.redacted > 0 ? `, ${report.redacted} redacted in place (links checked, content not: see event_redactions)` : ''}`,
        );
        for (const b of report.breaks)
          console.log(`${b.terminalId} seq ${b.seq} (event ${b.eventId}): ${b.reason}`);
      }
      if (report.breaks.length > 0) process.exitCode = 2;
    });
}
