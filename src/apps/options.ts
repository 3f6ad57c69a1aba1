import { resolve } from 'node:path';
import { invalid } from '../core/errors.ts';

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
