import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tillEvent } from '../../../test/fixtures/ingest.ts';
import { enrollTerminal } from '../../access/index.ts';
import type { EventEnvelope } from '../../core/event.ts';
import { newId } from '../../core/ids.ts';
import { seedDemoChain } from '../../demo/index.ts';
import { SALES_EVENT_TYPES } from '../../sales/events.ts';
import { applyStoredValueProjection } from '../../sales/hq/stored-value-movements.ts';
import { accountById } from '../../stored-value/hq/ledger.ts';
import { hashCode } from '../../stored-value/index.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import { type RunningHq, startHq } from './server.ts';

/**
 * Every stored-value route at HQ against a till that is not entitled: another till of the same store,
 * a till of another store, a till that knows an account id but not the card's code. Each route is
 * listed with what it must refuse; a route added without an entry here fails the first test, so the
 * class stays covered. After every refusal the card's balance is what it was.
 */
const logger = pino({ level: 'silent' });
const ADMIN = 'admin-token-for-the-stored-value-routes-test';
const CODE = '6280000012345678';
let hq: RunningHq;
let owner: string;
let ownerId: string;
let sameStore: string;
let otherStore: string;
let accountId: string;

beforeAll(async () => {
  hq = await startHq({ port: 0, logger, adminToken: ADMIN });
  await seedDemoChain(hq.db, hqEventRegistry, { stores: 2, products: 2 });
  ({ token: owner, terminalId: ownerId } = await enrollTerminal(hq.db, { storeId: 'S001' }));
  sameStore = (await enrollTerminal(hq.db, { storeId: 'S001' })).token;
  otherStore = (await enrollTerminal(hq.db, { storeId: 'S002' })).token;
  accountId = newId();
  await hq.db.transaction().execute((trx) =>
    applyStoredValueProjection(trx, [
      envelope(SALES_EVENT_TYPES.giftCardIssued, {
        accountId,
        last4: CODE.slice(-4),
        currency: 'EUR',
        amountMinor: 5_000,
        balanceMinor: 5_000,
        codeHash: hashCode(CODE),
      }),
    ]),
  );
}, 120_000);

afterAll(async () => {
  await hq?.close();
});

let seq = 0;
const envelope = (type: string, payload: Record<string, unknown>): EventEnvelope =>
  tillEvent({ storeId: 'S001', terminalId: ownerId }, ++seq, type, payload);

async function call(token: string | undefined, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await hq.app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() as { field?: string; balanceMinor?: number } };
}

const balance = async (): Promise<number | undefined> => (await accountById(hq.db, accountId))?.balanceMinor;

/** What the owning till's own authorisations took during one attack: the only movement allowed. */
let taken = 0;

/** An authorisation made by the owning till, for the routes that act on one. */
async function authorised(amountMinor = 100): Promise<string> {
  taken += amountMinor;
  const authId = newId();
  const r = await call(owner, 'POST', '/api/v1/stored-value/redemptions', {
    authId,
    accountId,
    code: CODE,
    amountMinor,
    currency: 'EUR',
  });
  expect(r.status).toBe(200);
  return authId;
}

/** Each route, with the attacks it must refuse (status and field) while the balance stays put. */
const attacks: Record<string, () => Promise<void>> = {
  'POST /api/v1/stored-value/lookup': async () => {
    expect(
      (await call(undefined, 'POST', '/api/v1/stored-value/lookup', { codeHash: hashCode(CODE) })).status,
    ).toBe(401);
    // Knowing an account id is not knowing the card: a made-up hash finds nothing.
    const r = await call(otherStore, 'POST', '/api/v1/stored-value/lookup', {
      codeHash: hashCode('6280000000000000'),
    });
    expect(r.status).toBe(404);
  },
  'POST /api/v1/stored-value/redemptions': async () => {
    const ask = (token: string, extra: object) =>
      call(token, 'POST', '/api/v1/stored-value/redemptions', {
        authId: newId(),
        accountId,
        amountMinor: 1_000,
        currency: 'EUR',
        ...extra,
      });
    for (const token of [sameStore, otherStore]) {
      expect((await ask(token, {})).status).toBe(400); // the account id alone
      expect(await ask(token, { code: '6280000099999999' })).toMatchObject({
        status: 403,
        body: { field: 'code' },
      });
      expect(await ask(token, { code: hashCode(CODE) })).toMatchObject({ status: 400 }); // the hash is not the code
    }
    // Another till replaying the owner's authorisation id under its own token.
    const authId = await authorised();
    const before = await balance();
    for (const token of [sameStore, otherStore])
      expect(
        await call(token, 'POST', '/api/v1/stored-value/redemptions', {
          authId,
          accountId,
          code: CODE,
          amountMinor: 100,
          currency: 'EUR',
        }),
      ).toMatchObject({ status: 403, body: { field: 'authId' } });
    expect(await balance()).toBe(before);
  },
  'POST /api/v1/stored-value/redemptions/{authId}/reverse': async () => {
    const authId = await authorised(250);
    const before = await balance();
    for (const token of [sameStore, otherStore])
      expect(
        await call(token, 'POST', `/api/v1/stored-value/redemptions/${authId}/reverse`, {}),
      ).toMatchObject({
        status: 403,
        body: { field: 'authId' },
      });
    expect(await balance()).toBe(before);
    // Once a sale that used it is in, not even the owner may give it back.
    const sale = envelope(SALES_EVENT_TYPES.saleCompleted, {
      saleId: newId(),
      currency: 'EUR',
      tenders: [{ kind: 'gift_card', amountMinor: 250, accountId, last4: CODE.slice(-4), authId }],
    });
    await hq.db.transaction().execute((trx) => applyStoredValueProjection(trx, [sale]));
    expect(await call(owner, 'POST', `/api/v1/stored-value/redemptions/${authId}/reverse`, {})).toMatchObject(
      {
        status: 409,
        body: { field: 'authId' },
      },
    );
    expect(await balance()).toBe(before);
  },
  'GET /api/v1/stored-value/accounts/{accountId}': async () => {
    for (const token of [owner, otherStore])
      expect((await call(token, 'GET', `/api/v1/stored-value/accounts/${accountId}`)).status).toBe(403);
  },
  'GET /api/v1/stored-value/exceptions': async () => {
    for (const token of [owner, otherStore])
      expect((await call(token, 'GET', '/api/v1/stored-value/exceptions')).status).toBe(403);
  },
};

describe('HQ stored-value routes against tills that are not entitled', () => {
  it('every stored-value route is listed here with what it must refuse', async () => {
    const spec = (await hq.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(spec.paths)
      .filter(([path]) => path.includes('/stored-value'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(Object.keys(attacks).sort());
  });

  for (const [route, attack] of Object.entries(attacks))
    it(`${route}: another till, another store or a missing code is refused and the balance does not move`, async () => {
      const before = (await balance()) ?? 0;
      taken = 0;
      await attack();
      expect(await balance()).toBe(before - taken);
    });
});
