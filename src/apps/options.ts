import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { invalid } from '../core/index.ts';

/** Option parsers for the CLI: each bad value fails with the option's name, before anything starts. */
export function parsePort(value: string, option = '--port'): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw invalid(option, `expected a port 0–65535, got "${value}"`);
  return n;
}

export function parsePositiveInt(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw invalid(option, `expected a positive whole number, got "${value}"`);
    return n;
  };
}

export function parseUrl(option: string) {
  return (value: string): string => {
    try {
      return new URL(value).toString().replace(/\/$/, '');
    } catch {
      throw invalid(option, `"${value}" is not a URL`);
    }
  };
}

export function parsePostgresUrl(value: string): string {
  if (!/^postgres(ql)?:\/\//.test(value)) throw invalid('--db', `expected postgres://…, got "${value}"`);
  return value;
}

export const DEFAULT_DATA_DIR = '.tally';
export const DEFAULT_HQ_PORT = 4100;

export const dataPath = (dir: string | undefined): string => resolve(dir ?? DEFAULT_DATA_DIR);

/**
 * `--store-count N`: how many stores. `--stores` names a list of store ids everywhere else (calendar,
 * users, replenish), so the count has its own name; the old spelling still works, hidden from help,
 * and says so on stderr.
 */
export function addStoreCountOption(cmd: Command, description: string): Command {
  return cmd.option('--store-count <n>', description, parsePositiveInt('--store-count')).addOption(
    new Option('--stores <n>', 'deprecated spelling of --store-count').hideHelp().argParser((v: string) => {
      process.stderr.write('tally: --stores <n> is deprecated here; use --store-count <n>\n');
      return parsePositiveInt('--stores')(v);
    }),
  );
}

/** The store count given by `--store-count`, or by the deprecated `--stores`; both at once is refused. */
export function storeCount(o: { storeCount?: number; stores?: number }): number | undefined {
  if (o.storeCount !== undefined && o.stores !== undefined)
    throw invalid('--store-count', 'give the count once (--stores is its old spelling)');
  return o.storeCount ?? o.stores;
}
