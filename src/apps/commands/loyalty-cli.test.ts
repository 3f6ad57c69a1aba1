import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { runTally } from '../../../test/helpers/processes.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { listAudit } from '../../access/index.ts';
import { DEFAULT_LOYALTY_PROGRAMME } from '../../contracts/index.ts';
import { newId } from '../../core/index.ts';
import { adjustPoints, readLoyaltyProgramme } from '../../customers/hq/index.ts';
import { changeProgramme } from '../../customers/index.ts';
import { openHqDb } from '../../db/hq-db.ts';
import { hqMigrations } from '../shared/hq-migrations.ts';
import { changesFromFlags } from './loyalty.ts';

// Each CLI run starts tsx and PGlite; on the shared 2-core machine that takes a while.
vi.setConfig({ testTimeout: 300_000 });

const tempDir = tempDirs('loyalty-cli');
const openHq = (dataDir: string) =>
  openHqDb({ migrations: hqMigrations, logger: pino({ level: 'silent' }), dataDir });

describe('the loyalty programme from the command line', () => {
  it('turns flags into a checked programme, each mistake naming its field', () => {
    const p = changeProgramme(
      DEFAULT_LOYALTY_PROGRAMME,
      changesFromFlags({
        data: '',
        on: true,
        pointsPerUnit: 2,
        store: [
          ['S002', 'off'],
          ['S003', '5'],
        ],
        category: [['TOBACCO', 'off']],
      }),
    );
    expect(p).toMatchObject({
      enabled: true,
      pointsPerUnit: 2,
      stores: { S002: { enabled: false }, S003: { pointsPerUnit: 5, enabled: true } },
      categories: { TOBACCO: 0 },
    });
    const wrong = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as { field?: string }).field;
      }
      return undefined;
    };
    expect(
      wrong(() =>
        changeProgramme(p, changesFromFlags({ data: '', tier: ['bronze:0:10000', 'silver:0:12000'] })),
      ),
    ).toBe('tiers.1.minSpendMinor');
    expect(wrong(() => changesFromFlags({ data: '', tier: ['silver:50000'] }))).toBe('--tier');
    expect(wrong(() => changesFromFlags({ data: '', category: [['WINE', 'lots']] }))).toBe('--category WINE');
    expect(wrong(() => changeProgramme(p, { categories: { WINE: 200_000 } }))).toBe('categories.WINE');
  });

  it('sets the programme with an audit entry, shows it, and reads one account with its ledger lines', async () => {
    const data = join(tempDir(), 'hq');
    const bad = runTally([
      'loyalty',
      'set',
      '--tier',
      'bronze:0:10000',
      '--tier',
      'silver:0:1',
      '--data',
      data,
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('tiers.1.minSpendMinor');

    const set = runTally([
      'loyalty',
      'set',
      '--on',
      '--points-per-unit',
      '2',
      '--store',
      'S002=off',
      '--category',
      'TOBACCO=off',
      '--data',
      data,
    ]);
    expect(set, set.err).toMatchObject({ code: 0 });
    expect(set.out).toContain('category TOBACCO: excluded');
    expect(set.out).toContain('store S002: off');
    expect(set.out).toContain('never earn: gift cards and store credit sold');

    const customerId = newId();
    const hq = await openHq(data);
    try {
      expect(await readLoyaltyProgramme(hq.db)).toMatchObject({ enabled: true, pointsPerUnit: 2 });
      const audited = (await listAudit(hq.db, {})).filter((e) => e.action === 'loyalty.programme_set');
      expect(audited).toHaveLength(1);
      // Tills pull it with the catalog: the change is tracked like any catalog row.
      const { rows } = await sql<{ entity: string }>`SELECT entity FROM catalog_changes`.execute(hq.db);
      expect(rows.map((r) => r.entity)).toContain('loyalty_programme');
      await adjustPoints(hq.db, {
        adjustmentId: newId(),
        customerId,
        points: 250,
        reason: 'welcome',
        actor: 't',
      });
    } finally {
      await hq.close();
    }

    const balance = runTally(['loyalty', 'balance', customerId, '--data', data]);
    expect(balance, balance.err).toMatchObject({ code: 0 });
    expect(balance.out).toMatch(new RegExp(`^${customerId}: 250 points, tier bronze`));
    // Spend in the store's currency and its own decimals, not hundredths of anything.
    expect(balance.out).toMatch(/12-month spend 0\.00 EUR\n/);
    expect(balance.out).toMatch(/\tadjust\t\+250\t= 250\t-\twelcome\n$/);
    const nobody = runTally(['loyalty', 'balance', '4000123412341234', '--data', data]);
    expect(nobody.code).not.toBe(0);
    expect(nobody.err).toContain('customer: no customer has loyalty card');
  });
});
