import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { runTally } from '../../../test/helpers/processes.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { listAudit } from '../../access/index.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { createCustomerAtHq } from '../../customers/hq/index.ts';
import { openHqDb } from '../../db/hq-db.ts';
import { appendToHqLog } from '../shared/event-registry.ts';
import { hqMigrations } from '../shared/hq-migrations.ts';

// Each CLI run starts tsx and PGlite; on the shared 2-core machine that takes a while.
vi.setConfig({ testTimeout: 240_000 });

const tempDir = tempDirs('customer-data-cli');
const openHq = (dataDir: string) =>
  openHqDb({ migrations: hqMigrations, logger: pino({ level: 'silent' }), dataDir });

describe('customers from the command line', () => {
  it('exports what HQ holds on a customer, lists who consented, then erases them and prints every place', async () => {
    const data = join(tempDir(), 'hq');
    const seed = await openHq(data);
    await createStore(seed.db, {
      storeId: 'S001',
      name: 'S001',
      address: '',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      taxInclusive: true,
    });
    const id = await createCustomerAtHq(seed.db, appendToHqLog, {
      storeId: 'S001',
      email: 'ana@example.org',
      name: 'Ana',
      consents: { marketing_email: true },
    });
    await seed.close();

    const out = join(tempDir(), 'ana.json');
    const exported = runTally(['customers', 'export', id, '--out', out, '--data', data]);
    expect(exported.code, exported.err).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).profile.personal.email).toBe('ana@example.org');
    const list = runTally(['customers', 'campaign-list', '--purpose', 'marketing_email', '--data', data]);
    expect(list.out).toContain('ana@example.org');

    const erased = runTally(['customers', 'erase', id, '--data', data]);
    expect(erased.code, erased.err).toBe(0);
    expect(erased.out).toContain('data key (customer_keys): found 1, removed 1');
    expect(erased.out).toContain('profile (customer_profiles): found 1, removed 1');
    expect(
      runTally(['customers', 'campaign-list', '--purpose', 'marketing_email', '--data', data]).out,
    ).not.toContain('ana@');
    expect(runTally(['customers', 'export', id, '--data', data]).code).not.toBe(0);

    const after = await openHq(data);
    try {
      const actions = (await listAudit(after.db, { limit: 20 })).map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'customer.subject_access_exported',
          'customer.campaign_list_exported',
          'customer.erased',
        ]),
      );
    } finally {
      await after.close();
    }
  });
});
