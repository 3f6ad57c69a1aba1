import { describe, expect, it } from 'vitest';
import { tillEvent } from '../../../test/fixtures/ingest.ts';
import { bearer, postBatch } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { errorBody, type TerminalListEntry } from '../../contracts/index.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-token-for-device-routes';

/** Head office issues a code, a till enrolls with it, sends, gets a new token, and is revoked. */
describe.each(hqBackends())('till devices over HQ routes on $name', (backend) => {
  it('a code read over the phone becomes a till that sends; revoked, it is told why on every call', () =>
    withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      const app = await buildHqApp({ db, logger: silentLogger, adminToken: ADMIN });
      try {
        const issued = await app.inject({
          method: 'POST',
          url: '/api/v1/terminals/codes',
          headers: bearer(ADMIN),
          payload: { storeId: 'S001', ttlMinutes: 30 },
        });
        expect(issued.statusCode, issued.body).toBe(201);
        const { code } = issued.json() as { code: string };

        const enroll = (c: string) =>
          app.inject({ method: 'POST', url: '/api/v1/terminals/enroll', payload: { code: c } });
        const enrolled = await enroll(code);
        expect(enrolled.statusCode, enrolled.body).toBe(201);
        const till = enrolled.json() as { terminalId: string; storeId: string; token: string };
        expect(till).toMatchObject({ terminalId: 'S001-T01', storeId: 'S001' });
        const again = await enroll(code);
        expect(again.statusCode).toBe(401);
        expect(again.json()).toMatchObject({
          field: 'code',
          message: expect.stringContaining('already used'),
        });

        const send = (token: string, seq: number) =>
          postBatch(
            app,
            { terminalId: till.terminalId, events: [tillEvent(till, seq, 'note.written', {})] },
            bearer(token),
          );
        expect((await send(till.token, 1)).statusCode).toBe(200);

        const rotated = await app.inject({
          method: 'POST',
          url: '/api/v1/terminal/token',
          headers: bearer(till.token),
        });
        expect(rotated.statusCode, rotated.body).toBe(200);
        const next = (rotated.json() as { token: string }).token;
        expect((await send(next, 2)).statusCode).toBe(200);
        expect((await send(till.token, 3)).statusCode).toBe(401);

        const revoked = await app.inject({
          method: 'POST',
          url: `/api/v1/terminals/${till.terminalId}/revoke`,
          headers: bearer(ADMIN),
          payload: { reason: 'reported stolen' },
        });
        expect(revoked.statusCode, revoked.body).toBe(200);
        const refused = await send(next, 3);
        expect(refused.statusCode).toBe(401);
        expect(errorBody.strict().parse(refused.json())).toMatchObject({
          error: 'terminal_revoked',
          message: expect.stringMatching(/^this till was revoked at HQ: reported stolen/),
        });

        const list = await app.inject({ url: '/api/v1/terminals', headers: bearer(ADMIN) });
        const [entry] = list.json() as TerminalListEntry[];
        expect(entry).toMatchObject({
          terminalId: 'S001-T01',
          revoked: { reason: 'reported stolen', by: 'admin' },
          tokenRotatedAt: expect.any(String),
          lastSeenAt: expect.any(String),
        });
        expect((await app.inject({ url: '/api/v1/terminals', headers: bearer(till.token) })).statusCode).toBe(
          401,
        );
      } finally {
        await app.close();
      }
    }));
});
