import { describe, expect, it } from 'vitest';
import { bearer } from '../../../test/helpers/hq-app.ts';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { listAudit, verifyAuditChain } from '../../access/index.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { buildHqApp } from './server.ts';

const ADMIN = 'admin-token-for-people-audit';

/**
 * Who may do what, and which tills belong to the chain, are the changes an auditor asks about first:
 * each is in the audit log once, with before and after, and never with a password, PIN, code or token.
 */
describe.each(hqBackends())('people and devices in the audit log on $name', (backend) => {
  it('records users added, grants changed, passwords reset, roles saved, tills enrolled and revoked', () =>
    withHqDb(backend, async ({ db }) => {
      await createStore(db, berlinStore('S001'));
      await createStore(db, berlinStore('S002'));
      const app = await buildHqApp({ db, logger: silentLogger, adminToken: ADMIN });
      try {
        const call = async (method: 'POST' | 'PUT', url: string, payload?: object) => {
          const res = await app.inject({
            method,
            url,
            headers: bearer(ADMIN),
            ...(payload ? { payload } : {}),
          });
          expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
          return res.statusCode === 204 ? undefined : (res.json() as Record<string, unknown>);
        };
        const secret = 'a-password-nobody-should-see';
        await call('POST', '/api/v1/users', {
          username: 'ana',
          displayName: 'Ana',
          password: secret,
          grants: [{ role: 'cashier', scope: { kind: 'store', id: 'S001' } }],
        });
        await call('PUT', '/api/v1/users/ana/grants', {
          grants: [{ role: 'shift_lead', scope: { kind: 'store', id: 'S002' } }],
        });
        await call('POST', '/api/v1/users/ana/password', { password: `${secret}-2` });
        await call('PUT', '/api/v1/roles/greeter', { name: 'Greeter', permissions: ['sell'] });
        const issued = (await call('POST', '/api/v1/terminals/codes', { storeId: 'S001' })) as {
          code: string;
        };
        const enroll = await app.inject({
          method: 'POST',
          url: '/api/v1/terminals/enroll',
          payload: { code: issued.code },
        });
        const till = enroll.json() as { terminalId: string; token: string };
        await call('POST', `/api/v1/terminals/${till.terminalId}/revoke`, { reason: 'lost in transit' });

        const entries = (await listAudit(db, { limit: 100 })).reverse();
        expect(entries.map((e) => e.action)).toEqual([
          'access.user_added',
          'access.grants_changed',
          'access.password_reset',
          'access.role_saved',
          'device.enrollment_code_issued',
          'device.enrolled',
          'device.revoked',
        ]);
        const grants = entries.find((e) => e.action === 'access.grants_changed');
        expect(grants).toMatchObject({
          actorKind: 'admin_token',
          targetId: 'ana',
          before: { grants: [{ role: 'cashier', scope: { kind: 'store', id: 'S001' } }] },
          after: { grants: [{ role: 'shift_lead', scope: { kind: 'store', id: 'S002' } }] },
        });
        expect(entries.find((e) => e.action === 'device.enrolled')).toMatchObject({
          actorKind: 'device',
          actorId: till.terminalId,
          storeId: 'S001',
        });
        expect(entries.find((e) => e.action === 'device.revoked')).toMatchObject({
          reason: 'lost in transit',
        });
        const stored = JSON.stringify(entries);
        for (const hidden of [secret, issued.code, till.token]) expect(stored).not.toContain(hidden);
        expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
      } finally {
        await app.close();
      }
    }));
});
