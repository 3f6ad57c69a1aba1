import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { tillUsersForStore } from '../../access/index.ts';
import { verifyPin } from '../../access/pin-hash.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { openHqDb } from '../../db/hq-db.ts';
import { hqMigrations } from '../shared/hq-migrations.ts';

// Each CLI run starts tsx and PGlite; on the shared 2-core machine that takes a while.
vi.setConfig({ testTimeout: 180_000 });

const TALLY = fileURLToPath(new URL('../../../bin/tally.js', import.meta.url));
const tempDir = tempDirs('users-till-pin');

/** `tally <args>` as an operator runs it, with `input` on standard input. */
const tally = (args: string[], input = '', env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [TALLY, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('tally users till-pin', () => {
  it('gives a user a till code and PIN that reach their store’s tills, never echoing the PIN', async () => {
    const data = join(tempDir(), 'hq');
    const seed = await openHqDb({
      migrations: hqMigrations,
      logger: pino({ level: 'silent' }),
      dataDir: data,
    });
    await createStore(seed.db, {
      storeId: 'S001',
      name: 'S001',
      address: '',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      taxInclusive: true,
    });
    await seed.close();
    const added = tally(
      ['users', 'add', 'ana', '--role', 'associate', '--stores', 'S001', '--data', data],
      '',
      {
        TALLY_USER_PASSWORD: 'ana-password-1',
      },
    );
    expect(added.code, added.err).toBe(0);
    const set = tally(
      ['users', 'till-pin', 'ana', '--code', '1001', '--pin-stdin', '--data', data],
      '4827\n',
    );
    expect(set).toMatchObject({ code: 0, out: 'ana signs in at tills with code 1001\n' });
    expect(set.out + set.err).not.toContain('4827');
    const bad = tally(['users', 'till-pin', 'ana', '--code', '1001', '--pin-stdin', '--data', data], '12\n');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('4 to 8 digits');

    const hq = await openHqDb({ migrations: hqMigrations, logger: pino({ level: 'silent' }), dataDir: data });
    try {
      const [ana] = await tillUsersForStore(hq.db, 'S001');
      expect(ana).toMatchObject({ userId: 'ana', code: '1001', active: true });
      expect(verifyPin('4827', ana?.pinHash)).toBe(true);
    } finally {
      await hq.close();
    }
  });
});
