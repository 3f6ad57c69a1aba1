import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { listUsers, setTillPin } from '../../access/index.ts';
import { listStoreSetups, saveTaxJurisdictions } from '../../catalog/hq/index.ts';
import { openHqDb } from '../../db/hq-db.ts';
import { openSqlite } from '../../db/sqlite.ts';
import { hqMigrations } from '../shared/hq-migrations.ts';
import { tillLedgerMigrations } from '../shared/till-ledger-migrations.ts';

// Each CLI run starts tsx and PGlite; on the shared 2-core machine that takes a while.
vi.setConfig({ testTimeout: 240_000 });

const TALLY = fileURLToPath(new URL('../../../bin/tally.js', import.meta.url));
const tempDir = tempDirs('backoffice-cli');

const tally = (args: string[], input = '', env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [TALLY, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const openHq = (dataDir: string) =>
  openHqDb({ migrations: hqMigrations, logger: pino({ level: 'silent' }), dataDir });

describe('back office from the command line', () => {
  it('opens a store in its tax region, refuses a bad time zone, and removes users as the API does', async () => {
    const data = join(tempDir(), 'hq');
    const seed = await openHq(data);
    await saveTaxJurisdictions(seed.db, [
      {
        id: 'DE-SN',
        name: 'Saxony',
        pricesIncludeTax: true,
        rounding: 'line',
        classes: { standard: { components: [{ code: 'VAT', name: 'VAT', ratePpm: 190_000 }] } },
      },
    ]);
    await seed.close();

    const common = ['--name', 'Leipzig', '--currency', 'EUR', '--tax-region', 'DE-SN', '--data', data];
    const bad = tally(['stores', 'add', 'S010', '--time-zone', 'Europe/Leipzig', ...common]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('timeZone');
    const ok = tally(['stores', 'add', 'S010', '--time-zone', 'Europe/Berlin', ...common]);
    expect(ok, ok.err).toMatchObject({
      code: 0,
      out: 'opened S010 (Leipzig, Europe/Berlin, EUR, tax DE-SN)\n',
    });
    const list = tally(['stores', 'list', '--data', data]);
    expect(list.out).toBe('S010\tLeipzig\tEurope/Berlin\tEUR\tde-DE\t-\tDE-SN\n');

    for (const name of ['nia', 'tom'])
      expect(
        tally(['users', 'add', name, '--role', 'associate', '--stores', 'S010', '--data', data], '', {
          TALLY_USER_PASSWORD: `${name}-password-1`,
        }).code,
      ).toBe(0);
    const db = await openHq(data);
    try {
      await setTillPin(db.db, { username: 'tom', code: '1234', pin: '4829' });
    } finally {
      await db.close();
    }
    expect(tally(['users', 'remove', 'nia', '--data', data]).out).toBe('nia: deleted\n');
    expect(tally(['users', 'remove', 'tom', '--data', data]).out).toBe(
      'tom: removed (deactivated, grants revoked; kept because history names them)\n',
    );
    const after = await openHq(data);
    try {
      expect(await listUsers(after.db, 'all')).toEqual([]);
      expect((await listStoreSetups(after.db, 'all')).map((s) => s.taxJurisdictionId)).toEqual(['DE-SN']);
    } finally {
      await after.close();
    }
  });

  it('removes a till manager with tally terminal managers remove, and the alias tally managers, keeping the last', () => {
    const till = tempDir();
    openSqlite(join(till, 'ledger.db'), tillLedgerMigrations).close();
    for (const [id, name] of [
      ['M1', 'Olga'],
      ['M2', 'Ben'],
    ] as const)
      expect(
        tally(
          ['terminal', '--data', till, 'managers', 'add', '--id', id, '--name', name, '--pin-stdin'],
          '4829\n',
        ).code,
      ).toBe(0);
    const removed = tally(['terminal', '--data', till, 'managers', 'remove', 'M2']);
    expect(removed, removed.err).toMatchObject({ code: 0, out: 'removed manager M2\n' });
    const last = tally(['managers', '--data', till, 'remove', 'M1']);
    expect(last.code).not.toBe(0);
    expect(last.err).toContain('the last manager cannot be removed');
    expect(tally(['managers', '--data', till, 'list']).out).toBe('M1\tOlga\n');
  });
});
