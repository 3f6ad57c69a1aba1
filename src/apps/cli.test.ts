/**
 * What a person sees from `tally`: the version, clean standard output with the logs apart (JSON on
 * standard error when not on a terminal, at the level asked for), and a plain word on a Node too old.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.ts';

// Each CLI run starts tsx and PGlite; on the shared 2-core machine that takes a while.
vi.setConfig({ testTimeout: 180_000 });

const TALLY = fileURLToPath(new URL('../../bin/tally.js', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../package.json', import.meta.url));
const tempDir = tempDirs('cli-output');

/** `tally <args>` with pipes, not a terminal, and TALLY_LOG_LEVEL as given (unset by default). */
const tally = (args: string[], env: Record<string, string | undefined> = {}) => {
  const { TALLY_LOG_LEVEL: _unset, ...rest } = process.env;
  const r = spawnSync(process.execPath, [TALLY, ...args], {
    encoding: 'utf8',
    env: { ...rest, NO_COLOR: '1', ...env } as NodeJS.ProcessEnv,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const jsonLines = (text: string) => text.split('\n').filter((l) => l.trim().startsWith('{'));

describe('tally on the command line', () => {
  it('prints the package version for --version and -V', () => {
    const { version } = JSON.parse(readFileSync(PACKAGE, 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = tally([flag]);
      expect(r.code, flag).toBe(0);
      expect(r.out.trim(), flag).toBe(version);
    }
  });

  it('keeps log lines out of a command’s output; they go to standard error as JSON, at the level asked for', () => {
    const data = join(tempDir(), 'hq');
    const seeded = tally(['seed', '--data', data, '--store-count', '1', '--products', '3']);
    expect(seeded.code, seeded.err).toBe(0);
    expect(seeded.out.trim()).toBe('seeded 1 stores, 3 products, 3 opening balances');
    expect(jsonLines(seeded.out)).toEqual([]);
    // Not on a terminal: JSON at info, as a supervisor collects it.
    expect(jsonLines(seeded.err).length).toBeGreaterThan(0);
    expect(JSON.parse(jsonLines(seeded.err)[0] as string)).toMatchObject({ level: 30, name: 'tally-seed' });

    const listed = tally(['users', 'list', '--data', data]);
    expect(listed.code, listed.err).toBe(0);
    expect(jsonLines(listed.out)).toEqual([]);

    const quiet = tally(['users', 'list', '--data', data, '--log-level', 'warn']);
    expect(quiet.code, quiet.err).toBe(0);
    expect(jsonLines(quiet.err)).toEqual([]);
    const silent = tally(['users', 'list', '--data', data], { TALLY_LOG_LEVEL: 'silent' });
    expect(jsonLines(silent.err)).toEqual([]);
    // The option wins over the variable.
    const loud = tally(['--log-level', 'info', 'users', 'list', '--data', data], {
      TALLY_LOG_LEVEL: 'silent',
    });
    expect(jsonLines(loud.err).length).toBeGreaterThan(0);
  });

  it('refuses a log level it does not know, naming the choices', () => {
    const r = tally(['users', 'list', '--log-level', 'loud']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('trace, debug, info, warn, error, fatal, silent');
  });

  it('tells someone on an old Node what to install, and lets Node 20.19 and later through', () => {
    const { tooOld } = createRequire(import.meta.url)('../../scripts/check-node.cjs') as {
      tooOld: (v: string) => string | null;
    };
    expect(tooOld('18.20.4')).toContain('Tally needs Node.js 20.19 or newer; this is Node.js 18.20.4');
    expect(tooOld('v20.11.1')).toContain('nvm install 22');
    for (const ok of ['20.19.0', '20.20.2', '22.12.0', '24.1.0']) expect(tooOld(ok), ok).toBeNull();
    expect(tooOld(process.versions.node)).toBeNull();
  });
});
