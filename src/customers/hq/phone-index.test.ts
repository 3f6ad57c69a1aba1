import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { enrollTerminal } from '../../access/terminals.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { ingestBatch } from '../../sync/hq/index.ts';
import { createCustomers } from '../customers.ts';
import { blindIndex } from '../pii-crypto.ts';
import { unsentCustomerKeys } from '../till/key-sync.ts';
import {
  customerForTill,
  customerIndexSecret,
  findCustomerIds,
  identifiersCurrent,
  reindexCustomerIdentifiers,
  storeCustomerKey,
} from './index.ts';

const tempDir = tempDirs('phone-index');
const NOW = new Date('2026-03-02T10:00:00Z');

describe.each(hqBackends())('phones in the blind index at HQ on $name', ({ open }) => {
  const h = useHqDb(open);

  /** Lea registered at a Zürich till from before E.164: the till sealed the digits the cashier typed. */
  async function leaFromAnOldTill(): Promise<string> {
    await createStore(h.db, { ...berlinStore('Z01'), currency: 'CHF', timeZone: 'Europe/Zurich' });
    const terminalId = 'Z01-T01';
    const { ledger } = openTestLedger(join(tempDir(), 'z.db'), { storeId: 'Z01', terminalId });
    const auth = await enrollTerminal(h.db, { storeId: 'Z01', terminalId });
    // No store locale given: the till keeps a national number as its digits, as tills did before E.164.
    const lea = createCustomers(ledger).create({ phone: '079 123 45 67', name: 'Lea Keller' });
    expect(lea.phone).toBe('0791234567');
    const r = await ingestBatch(
      h.db,
      hqEventRegistry,
      auth,
      { terminalId, events: ledger.range(1, 100) },
      { now: NOW },
    );
    expect(r.rejected ?? []).toEqual([]);
    for (const k of unsentCustomerKeys(ledger.db))
      await storeCustomerKey(h.db, k.customerId, k.key, terminalId);
    return lea.customerId;
  }

  it('finds a profile an old till registered digits-only by the number as tills type it today', async () => {
    const lea = await leaFromAnOldTill();
    expect(await findCustomerIds(h.db, 'phone', '+41 79 123 45 67')).toEqual([lea]);
    expect(await findCustomerIds(h.db, 'phone', '+41791234567', { country: 'CH' })).toEqual([lea]);
    // A Zürich till asks by the E.164 form it reads now, and by what the cashier typed.
    expect((await customerForTill(h.db, 'phone', '+41791234567', { storeId: 'Z01' }))?.customerId).toBe(lea);
    expect((await customerForTill(h.db, 'phone', '079 123 45 67', { storeId: 'Z01' }))?.customerId).toBe(lea);
  });

  it('re-indexes profiles indexed digits-only before, once and idempotently; searches try both forms until then', async () => {
    const lea = await leaFromAnOldTill();
    // The index as HQ wrote it before phones were E.164: the digits the till sealed.
    const secret = await customerIndexSecret(h.db);
    const digest = (form: string) => blindIndex(secret, 'phone', form);
    await sql`UPDATE customer_identifiers SET digest = ${digest('0791234567')}
      WHERE customer_id = ${lea} AND kind = 'phone'`.execute(h.db);
    const phoneDigests = async () =>
      (
        await sql<{ digest: string }>`SELECT digest FROM customer_identifiers
          WHERE customer_id = ${lea} AND kind = 'phone'`.execute(h.db)
      ).rows.map((r) => r.digest);

    expect(await identifiersCurrent(h.db)).toBe(false);
    expect(await findCustomerIds(h.db, 'phone', '+41 79 123 45 67')).toEqual([lea]);

    expect(await reindexCustomerIdentifiers(h.db, { batch: 1 })).toEqual({ profiles: 1, done: true });
    expect(await identifiersCurrent(h.db)).toBe(true);
    expect(await phoneDigests()).toEqual([digest('+41791234567')]);
    expect(await findCustomerIds(h.db, 'phone', '+41 79 123 45 67')).toEqual([lea]);
    expect(await findCustomerIds(h.db, 'phone', '079 123 45 67', { country: 'CH' })).toEqual([lea]);
    // Email and the rest of the index are untouched by running it again.
    const all = async () =>
      (await sql`SELECT kind, digest FROM customer_identifiers ORDER BY kind, digest`.execute(h.db)).rows;
    const once = await all();
    await reindexCustomerIdentifiers(h.db);
    expect(await all()).toEqual(once);
  });
});
