import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningCli, startCli } from '../../../test/helpers/processes.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { adminTokenFile, rememberAdminToken } from '../commands/hq.ts';
import { startHq } from './server.ts';

/**
 * HQ's folder is PGlite's database (every store's customers and sales) and keeps the admin token:
 * owner-only from the first start, tightened on a later one. The admin token is printed once, when it
 * is made; a log collected from any later start holds no token.
 */
const tempDir = tempDirs('hq-at-rest');
const clis: RunningCli[] = [];
// Registered after tempDirs' hook, so it runs first: each HQ stops before its folder is removed.
afterEach(async () => {
  for (const c of clis.splice(0)) await c.stop();
});
const mode = (p: string) => statSync(p).mode & 0o777;

/** Every path under `dir` whose mode lets anyone but the owner in. */
function looseUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if ((st.mode & 0o077) !== 0) out.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
  return out;
}

/** Waits until the process has said something matching `re`; the test's own timeout bounds it. */
async function saidSoFar(cli: RunningCli, re: RegExp): Promise<string> {
  while (!re.test(cli.output())) await new Promise((r) => setTimeout(r, 50));
  return cli.output();
}

describe("HQ's data folder and admin token", () => {
  it('makes a fresh PGlite folder owner-only and tightens one left loose', async () => {
    const dir = join(tempDir(), 'hq');
    const first = await startHq({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }) });
    await first.close();
    expect(mode(dir)).toBe(0o700);
    expect(looseUnder(dir)).toEqual([]);
    chmodSync(dir, 0o755);
    for (const n of readdirSync(dir))
      chmodSync(join(dir, n), statSync(join(dir, n)).isDirectory() ? 0o755 : 0o644);
    const again = await startHq({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }) });
    await again.close();
    expect(looseUnder(dir)).toEqual([]);
  }, 120_000);

  it('rewrites an admin-token file found readable by others as owner-only', () => {
    const dir = tempDir();
    writeFileSync(adminTokenFile(dir), 'old\n', { mode: 0o644 });
    chmodSync(adminTokenFile(dir), 0o644);
    rememberAdminToken(dir, 'new-token');
    expect(mode(adminTokenFile(dir))).toBe(0o600);
    expect(readFileSync(adminTokenFile(dir), 'utf8').trim()).toBe('new-token');
  });

  it('prints the admin token on the first start only; the second start says where it is kept', async () => {
    const dir = join(tempDir(), 'hq');
    const env = { TALLY_ADMIN_TOKEN: '', TALLY_FORECAST_NIGHTLY: 'off' };
    const first = await startCli(['hq', '--data', dir, '--port', '0'], env);
    clis.push(first);
    await saidSoFar(first, /admin token \(shown once/);
    const token = readFileSync(adminTokenFile(dir), 'utf8').trim();
    expect(token.length).toBeGreaterThan(20);
    expect(first.output()).toContain(token);
    await clis.pop()?.stop();

    const second = await startCli(['hq', '--data', dir, '--port', '0'], env);
    clis.push(second);
    const said = await saidSoFar(second, /admin token: /);
    expect(said).toContain(adminTokenFile(dir));
    expect(said).not.toContain(token);
  }, 120_000);
});
