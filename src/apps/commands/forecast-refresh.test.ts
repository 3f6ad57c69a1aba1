import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { storeCount } from '../options.ts';
import { registerForecastCommand } from './forecast.ts';
import { registerForecastRefreshCommand } from './forecast-refresh.ts';
import { registerImportCommand } from './import.ts';
import { registerImportM5Command } from './import-m5.ts';

/** The CLI's commands, with every action stopped before it runs; returns the options it would get. */
function parse(argv: string[]): Promise<{ command: string; opts: Record<string, unknown> }> {
  const program = new Command('tally').exitOverride().configureOutput({ writeErr: () => undefined });
  registerImportCommand(program);
  registerImportM5Command(program);
  registerForecastCommand(program, { logLevel: 'silent' });
  registerForecastRefreshCommand(program);
  let seen: { command: string; opts: Record<string, unknown> } | undefined;
  // Replace every action: hooks (the forecast command's required-option check) still run before them.
  const stub = (c: Command): void => {
    c.action(() => {
      seen = { command: c.name(), opts: c.opts() };
    });
    for (const sub of c.commands) stub(sub);
  };
  for (const c of program.commands) stub(c);
  return program.parseAsync(argv, { from: 'user' }).then(() => {
    if (!seen) throw new Error('no action ran');
    return seen;
  });
}

describe('forecast refresh and import m5 on the command line', () => {
  it('gives the subcommands their own options, even where the parent has an option of that name', async () => {
    expect(await parse(['forecast', 'refresh', '--horizon', '30', '--data', '/tmp/hq'])).toEqual({
      command: 'refresh',
      opts: expect.objectContaining({ horizon: 30, data: '/tmp/hq', keep: 3, backtest: true }),
    });
    expect(await parse(['import', 'm5', 'dir', '--data', '/tmp/hq', '--store-count', '2'])).toEqual({
      command: 'm5',
      opts: expect.objectContaining({ data: '/tmp/hq', storeCount: 2 }),
    });
  });

  it('takes a store count as --store-count; the old --stores spelling still works, with a note', async () => {
    const notes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      notes.push(String(chunk));
      return true;
    });
    try {
      const { opts } = await parse(['import', 'm5', '--stores', '3']);
      expect(storeCount(opts)).toBe(3);
    } finally {
      spy.mockRestore();
    }
    expect(notes.join('')).toMatch(/--stores <n> is deprecated here; use --store-count <n>/);
    const both = await parse(['import', 'm5', '--store-count', '2', '--stores', '3']);
    expect(() => storeCount(both.opts)).toThrow(/--store-count: give the count once/);
  });

  it('keeps the forecast file contract: --history and --out are still required there', async () => {
    expect(await parse(['forecast', '--history', 'h.csv', '--out', 'f.csv', '--horizon', '7'])).toEqual({
      command: 'forecast',
      opts: expect.objectContaining({ history: 'h.csv', out: 'f.csv', horizon: '7' }),
    });
    await expect(parse(['forecast', '--out', 'f.csv'])).rejects.toThrow(/required option '--history <csv>'/);
    await expect(parse(['forecast', 'refresh', '--horizon', 'x'])).rejects.toThrow(/--horizon/);
  });
});
