import { describe, expect, it } from 'vitest';
import { tillEvent } from '../../../test/fixtures/ingest.ts';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { enrollTerminal } from '../../access/terminals.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { ingestBatch } from '../../sync/hq/ingest.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import { buildHqApp } from './server.ts';

/** The probe a till makes at start: how far HQ holds its events, with the till's own token only. */
describe.each(hqBackends())('GET /api/v1/terminal/sync on $name', (backend) => {
  it('tells a till the highest seq HQ holds in a row and the highest it has seen, and nobody else', () =>
    withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      const till = await enrollTerminal(db, { storeId: 'S001', terminalId: 'S001-T1' });
      const event = (seq: number) => tillEvent(till, seq, 'note.written', {});
      // Seqs 1, 2 and 5: a till restored from an older copy with only 1 and 2 learns HQ has seen 5.
      await ingestBatch(
        db,
        hqEventRegistry,
        { terminalId: 'S001-T1', storeId: 'S001' },
        { terminalId: 'S001-T1', events: [event(1), event(2), event(5)] },
      );
      const app = await buildHqApp({ db, logger: silentLogger, adminToken: 'admin-token-for-sync-probe' });
      try {
        const ok = await app.inject({
          url: '/api/v1/terminal/sync',
          headers: { authorization: `Bearer ${till.token}` },
        });
        expect(ok.statusCode).toBe(200);
        expect(ok.json()).toEqual({ terminalId: 'S001-T1', heldUpTo: 2, maxSeq: 5 });
        expect((await app.inject({ url: '/api/v1/terminal/sync' })).statusCode).toBe(401);
      } finally {
        await app.close();
      }
    }));
});
