import { join } from 'node:path';
import type { Command } from 'commander';
import { createLogger, invalid } from '../../core/index.ts';
import { dataPath } from '../options.ts';
import { addLocalManager, listLocalManagers, removeLocalManager } from '../terminal/managers-local.ts';
import { promptNewPin, readFirstLine } from './pin-input.ts';

/**
 * `tally terminal [--data <dir>] managers add|list|remove` (and `tally managers …`, the same with its own --data): the till's override managers, edited in its data
 * folder (see managers-local.ts). The PIN never goes on the screen or in a log: typed at a prompt that
 * does not echo, or piped in with --pin-stdin. --pin is there for scripts that have no other way.
 */
export function registerManagersCommands(parent: Command): Command {
  const managers = parent
    .command('managers')
    .description("the till's managers, who approve overrides with their PIN (uses the till's --data)");
  managers
    .command('add')
    .description('add a manager; asks for the PIN twice without echoing it')
    .requiredOption('--name <name>', 'shown on approvals, e.g. "Ana Weber"')
    .option('--id <managerId>', 'manager id recorded on approved events (default: next free, e.g. M2)')
    .option('--pin-stdin', 'read the PIN from the first line of standard input instead of asking')
    .option('--pin <digits>', 'the PIN on the command line (visible in shell history; prefer the prompt)')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals<{
        data: string;
        name: string;
        id?: string;
        pinStdin?: boolean;
        pin?: string;
      }>();
      if (o.pin !== undefined && o.pinStdin)
        throw invalid('--pin', 'give the PIN one way: --pin or --pin-stdin');
      const pin = o.pin ?? (o.pinStdin ? await readFirstLine(process.stdin) : await promptNewPin());
      const log = createLogger('tally-managers', 'warn');
      const m = addLocalManager(
        dataPath(o.data),
        { name: o.name, pin, ...(o.id !== undefined ? { managerId: o.id } : {}) },
        log,
      );
      console.log(`added manager ${m.managerId} (${m.name})`);
    });
  managers
    .command('list')
    .description("list the till's managers (ids and names; PINs are never shown)")
    .option('--json', 'print JSON')
    .action(function (this: Command) {
      const o = this.optsWithGlobals<{ data: string; json?: boolean }>();
      const list = listLocalManagers(dataPath(o.data), createLogger('tally-managers', 'warn'));
      if (o.json) console.log(JSON.stringify(list, null, 2));
      else if (list.length === 0) console.log('no managers: approvals are refused until one is added');
      else for (const m of list) console.log(`${m.managerId}\t${m.name}`);
    });
  managers
    .command('remove <managerId>')
    .description('remove a manager from this till (the last one stays, or nothing could be approved)')
    .action(function (this: Command, managerId: string) {
      const o = this.optsWithGlobals<{ data: string }>();
      removeLocalManager(dataPath(o.data), managerId, createLogger('tally-managers', 'warn'));
      console.log(`removed manager ${managerId}`);
    });
  return managers;
}

/** `tally managers …`: what the issue calls it; the same commands, with the till's --data on this level. */
export function registerManagersAlias(program: Command): void {
  registerManagersCommands(program).option(
    '--data <dir>',
    "the till's data folder (as tally terminal --data)",
    join('.tally', 'till'),
  );
}
