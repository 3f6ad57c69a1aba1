import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalogThenDownHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { asCashier } from '../../../test/helpers/till-session.ts';
import { listLocalManagers, nextManagerId } from './managers-local.ts';
import type { RunningTerminal } from './start.ts';

// Each CLI run starts tsx; on the shared 2-core machine that can take several seconds.
vi.setConfig({ testTimeout: 120_000 });

const TALLY = fileURLToPath(new URL('../../../bin/tally.js', import.meta.url));
const silent = pino({ level: 'silent' });

const fetchFn = catalogThenDownHq();

const tempDir = tempDirs('managers-cli');
let t: RunningTerminal | undefined;
let dir: string;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** `tally <args>` as an operator runs it, with `input` on standard input. */
const tally = (args: string[], input = '') => {
  const r = spawnSync(process.execPath, [TALLY, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('tally terminal managers', () => {
  it('adds a manager whose PIN the running till then accepts, and lists managers without PINs', async () => {
    const till = await startTestTill(fetchFn);
    t = till;
    dir = till.dataDir;
    const cashier = await asCashier(till);
    const noSale = (pin: string, managerId = 'M1') =>
      till.app.inject({
        method: 'POST',
        url: '/api/v1/shifts/current/no-sale',
        payload: { reason: 'change' },
        headers: { ...cashier, 'x-manager-id': managerId, 'x-manager-pin': pin },
      });
    await till.app.inject({
      method: 'POST',
      url: '/api/v1/shifts',
      payload: { openingFloatMinor: 1000 },
      headers: cashier,
    });
    expect((await noSale('482913')).statusCode).toBe(403);

    const added = tally(
      ['terminal', 'managers', 'add', '--data', dir, '--name', 'Olga Brandt', '--pin-stdin'],
      '482913\n',
    );
    expect(added).toMatchObject({ code: 0, out: 'added manager M1 (Olga Brandt)\n' });
    expect(added.out + added.err).not.toContain('482913');

    // The till that was already running takes the new PIN, and records who approved.
    const ok = await noSale('482913');
    expect(ok.statusCode).toBe(201);
    expect(ok.body).toContain('M1');

    // A PIN another manager has is fine and says nothing about anyone else; each approves as themselves.
    const shared = tally(
      ['terminal', '--data', dir, 'managers', 'add', '--name', 'Copy', '--pin-stdin'],
      '482913\n',
    );
    expect(shared).toMatchObject({ code: 0, out: 'added manager M2 (Copy)\n' });
    expect(shared.err).not.toMatch(/PIN|another|use/i);
    expect((await noSale('482913', 'M2')).body).toContain('"approvedBy":"M2"');
    // One that is not 4–8 digits is refused and nothing is added.
    const short = tally(
      ['terminal', 'managers', 'add', '--data', dir, '--name', 'Shorty', '--pin-stdin'],
      '12\n',
    );
    expect(short.err).toContain('must be 4 to 8 digits');

    const listed = tally(['terminal', 'managers', 'list', '--data', dir, '--json']);
    const both = [
      { managerId: 'M1', name: 'Olga Brandt' },
      { managerId: 'M2', name: 'Copy' },
    ];
    expect(JSON.parse(listed.out)).toEqual(both);
    expect(listed.out).not.toMatch(/482913|pin|hash|salt/i);
    expect(listLocalManagers(dir, silent)).toEqual(both);
  });

  it('refuses a folder that holds no till', () => {
    dir = tempDir();
    const r = tally(['terminal', 'managers', 'list', '--data', join(dir, 'nothing')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('holds no till');
  });

  it('numbers new managers after the ones there', () => {
    dir = tempDir();
    expect(nextManagerId([])).toBe('M1');
    expect(
      nextManagerId([
        { managerId: 'M1', name: 'a' },
        { managerId: 'M3', name: 'b' },
      ]),
    ).toBe('M2');
  });
});
