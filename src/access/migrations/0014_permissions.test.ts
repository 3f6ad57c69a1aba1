import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/helpers/hq-db.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { hqMigrations } from '../../apps/shared/hq-migrations.ts';
import { openHqDb } from '../../db/hq-db.ts';
import { grantsOf } from '../grants.ts';
import { loadUser } from '../users.ts';

const tempDir = tempDirs('perm-migration', 'all');

describe('0014_permissions on a database with people of the four fixed roles', () => {
  it('turns each role and its stores or district into grants, and keeps everyone signing in', async () => {
    const dataDir = tempDir();
    const upTo = hqMigrations.findIndex((m) => m.id === '0014_permissions');
    const older = await openHqDb({ migrations: hqMigrations.slice(0, upTo), dataDir, logger: silentLogger });
    await sql`
      INSERT INTO districts (id, name) VALUES ('N', 'Nord');
      INSERT INTO district_stores (district_id, store_id) VALUES ('N', 'S001'), ('N', 'S002');
      INSERT INTO users (username, display_name, role, password_hash, district_id) VALUES
        ('ana', 'Ana', 'associate', 'x', NULL),
        ('sam', 'Sam', 'store_manager', 'x', NULL),
        ('dana', 'Dana', 'district_manager', 'x', 'N'),
        ('hq', 'HQ', 'admin', 'x', NULL);
      INSERT INTO user_stores (username, store_id) VALUES ('ana', 'S001'), ('sam', 'S001'), ('sam', 'S003'), ('dana', 'S009');
    `.execute(older.db);
    await older.close();

    const current = await openHqDb({ migrations: hqMigrations, dataDir, logger: silentLogger });
    try {
      expect(await grantsOf(current.db, 'ana')).toEqual([
        { role: 'cashier', scope: { kind: 'store', id: 'S001' } },
      ]);
      expect(await grantsOf(current.db, 'sam')).toEqual([
        { role: 'store_manager', scope: { kind: 'store', id: 'S001' } },
        { role: 'store_manager', scope: { kind: 'store', id: 'S003' } },
      ]);
      expect(await grantsOf(current.db, 'dana')).toEqual([
        { role: 'district_manager', scope: { kind: 'district', id: 'N' } },
        { role: 'district_manager', scope: { kind: 'store', id: 'S009' } },
      ]);
      expect(await grantsOf(current.db, 'hq')).toEqual([{ role: 'hq_admin', scope: { kind: 'chain' } }]);
      const dana = await loadUser(current.db, 'dana');
      expect(dana?.permissions.edit_prices).toEqual(['S001', 'S002', 'S009']);
      expect(dana?.permissions.edit_catalog).toBeUndefined();
      expect((await loadUser(current.db, 'ana'))?.permissions).toEqual({
        sell: ['S001'],
        refund_with_receipt: ['S001'],
      });
      expect((await loadUser(current.db, 'hq'))?.stores).toBe('all');
    } finally {
      await current.close();
    }
  });
});
