import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isTallyError, setLogLevel } from '../core/index.ts';
import { setHqEventRules } from '../sync/hq/index.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerBasketsCommand } from './commands/baskets.ts';
import { registerBenchCommand } from './commands/bench.ts';
import { registerCalendarCommand } from './commands/calendar.ts';
import { registerCustomerDataCommands } from './commands/customer-data.ts';
import { registerCustomersCommand } from './commands/customers.ts';
import { registerCustomersRefreshCommand } from './commands/customers-refresh.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerEvalCommand } from './commands/eval.ts';
import { registerForecastCommand } from './commands/forecast.ts';
import { registerForecastRefreshCommand } from './commands/forecast-refresh.ts';
import { registerHqCommands } from './commands/hq.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerImportM5Command } from './commands/import-m5.ts';
import { registerLoyaltyCommand } from './commands/loyalty.ts';
import { registerReplenishCommand } from './commands/replenish.ts';
import { registerStoresCommand } from './commands/stores.ts';
import { registerSuppliersCommand } from './commands/suppliers.ts';
import { registerTerminalCommand } from './commands/terminal.ts';
import { registerManagersAlias } from './commands/terminal-managers.ts';
import { registerUsersCommand } from './commands/users.ts';
import { LOG_LEVELS, readConfig } from './config.ts';

/** The package's version, read once: `tally --version` says which Tally answers. */
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function logLevelOption(): Option {
  return new Option('--log-level <level>', 'how much the logs say (overrides TALLY_LOG_LEVEL)').choices(
    LOG_LEVELS,
  );
}

/** `--log-level` is accepted after any command too (`tally users list --log-level info`). */
function everyCommandTakesLogLevel(command: Command): void {
  for (const sub of command.commands) {
    if (!sub.options.some((o) => o.long === '--log-level')) sub.addOption(logLevelOption());
    everyCommandTakesLogLevel(sub);
  }
}

/** `tally`: one binary for HQ, tills, the demo and the maintenance commands. Composition only. */
const program = new Command('tally')
  .description('Tally: offline-first retail point of sale and store operations')
  .version(version, '-V, --version', 'print the version of Tally')
  .addOption(
    new Option('--log-level <level>', 'how much the logs say (overrides TALLY_LOG_LEVEL)').choices(
      LOG_LEVELS,
    ),
  )
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

try {
  // The environment is read once, here; every command gets its values from this object.
  const config = readConfig();
  // Ingest, rebuild and the bus all check events against these (sync/event-rules-config.ts).
  setHqEventRules(config.eventRules);
  // Before any command's action, so every logger it makes obeys the level asked for.
  registerDemoCommand(program, config);
  registerHqCommands(program, config);
  registerTerminalCommand(program, config);
  registerManagersAlias(program);
  registerBenchCommand(program);
  registerImportCommand(program);
  registerImportM5Command(program);
  registerForecastCommand(program, config);
  registerForecastRefreshCommand(program);
  registerEvalCommand(program);
  registerCustomersCommand(program);
  registerBasketsCommand(program);
  registerCustomersRefreshCommand(program);
  registerReplenishCommand(program);
  registerSuppliersCommand(program);
  registerCalendarCommand(program);
  registerUsersCommand(program, config);
  registerStoresCommand(program);
  registerLoyaltyCommand(program);
  registerAuditCommand(program);
  registerCustomerDataCommands(program);
  everyCommandTakesLogLevel(program);
  // Before any command's action, so every logger it makes obeys the level asked for.
  program.hook('preAction', (_program, action) => {
    setLogLevel(action.optsWithGlobals<{ logLevel?: string }>().logLevel ?? config.logLevel);
  });
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit through here with code 0; usage errors were already printed.
    process.exit(err.exitCode);
  }
  if (isTallyError(err)) {
    console.error(`tally: ${err.message}`);
    process.exit(2);
  }
  console.error(`tally: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
