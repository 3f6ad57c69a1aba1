import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { dataPath } from '../options.ts';
import { hqLine } from '../terminal/hq-line.ts';
import { readIdentity } from '../terminal/identity.ts';
import { rotateTillToken } from '../terminal/token-rotation.ts';

/**
 * `tally terminal [--data <dir>] rotate-token`: a new token for this till from HQ, saved in its
 * terminal.json. A running till picks it up from the file on its next call; an interrupted rotation
 * leaves the till with a token HQ still accepts (token-rotation.ts).
 */
export function registerRotateTokenCommand(terminal: Command): void {
  terminal
    .command('rotate-token')
    .description(
      "ask HQ for a new terminal token and save it (uses the till's --data; the old one stops on first use)",
    )
    .action(async function (this: Command) {
      const dir = dataPath(this.optsWithGlobals<{ data: string }>().data);
      const identity = readIdentity(dir);
      const line = hqLine({
        dataDir: dir,
        token: identity.token,
        ...(identity.hqCaFile ? { ca: readFileSync(identity.hqCaFile) } : {}),
      });
      const r = await rotateTillToken(dir, line);
      console.log(
        `new token for ${r.terminalId} saved at ${r.rotatedAt}${r.confirmed ? '; the old one no longer works' : '; HQ retires the old one when the new one is first used'}`,
      );
    });
}
