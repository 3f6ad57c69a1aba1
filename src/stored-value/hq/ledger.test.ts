import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { tillEvent } from '../../../test/fixtures/ingest.ts';
import { hqBackends, withHqDb } from '../../../test/helpers/hq-db.ts';
import type { EventEnvelope } from '../../core/event.ts';
import { newId } from '../../core/ids.ts';
import type { HqDb } from '../../db/hq-db.ts';
import { SALES_EVENT_TYPES } from '../../sales/events.ts';
import { applyStoredValueProjection } from '../../sales/hq/stored-value-movements.ts';
import { hashCode } from '../till/accounts.ts';
import {
  accountByCodeHash,
  accountById,
  authorizeRedemption,
  reverseRedemption,
  storedValueExceptions,
} from './ledger.ts';

const CODE = '6011000990139424';
const HASH = hashCode(CODE);
let codes = 0;
/** A fresh 16-digit card code per call. */
const nextCode = (): string => String(7_000_000_000_000_000 + ++codes);
const SHIFT = '01900000-0000-7000-8000-000000000001';
const cash = (n: number) => [{ kind: 'cash', amountMinor: n, tenderedMinor: n, changeMinor: 0 }];
let seq = 0;
const envelope = (type: string, payload: Record<string, unknown>, terminalId = 'T1'): EventEnvelope =>
  tillEvent({ storeId: 'S001', terminalId }, ++seq, type, payload, '2025-03-01T10:00:00+01:00');
const giftCard = (accountId: string, amountMinor: number, load = false) =>
  envelope(load ? SALES_EVENT_TYPES.giftCardLoaded : SALES_EVENT_TYPES.giftCardIssued, {
    accountId,
    last4: CODE.slice(-4),
    currency: 'EUR',
    amountMinor,
    balanceMinor: 0,
    shiftId: SHIFT,
    cashierId: 'ana',
    tenders: cash(amountMinor),
    codeHash: HASH,
  });
const redeemed = (accountId: string, amountMinor: number, extra: Record<string, unknown> = {}) =>
  envelope(SALES_EVENT_TYPES.saleCompleted, {
    saleId: newId(),
    currency: 'EUR',
    tenders: [{ kind: 'gift_card', amountMinor, accountId, last4: CODE.slice(-4), codeHash: HASH, ...extra }],
  });
const refunded = (accountId: string, amountMinor: number) =>
  envelope(SALES_EVENT_TYPES.saleReturned, {
    returnId: newId(),
    currency: 'EUR',
    refunds: [{ kind: 'gift_card', amountMinor, accountId, last4: CODE.slice(-4), codeHash: HASH }],
  });

const project = (db: HqDb, events: EventEnvelope[]) =>
  db.transaction().execute((trx) => applyStoredValueProjection(trx, events));
const balance = async (db: HqDb, id: string) => (await accountById(db, id))?.balanceMinor;
const movementCount = async (db: HqDb) =>
  Number(
    (
      await db
        .withTables<{ stored_value_movements: { id: number } }>()
        .selectFrom('stored_value_movements')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(hqBackends())('HQ stored-value ledger on $name', (backend) => {
  // Migrating the first database is the slow part (PGlite clones it after): not any one test's time.
  beforeAll(() => withHqDb(backend, async () => undefined), 240_000);

  it('projects issue, redeem and refund once each; a replay of the same events changes nothing', async () => {
    await withHqDb(backend, async ({ db }) => {
      const id = newId();
      const events = [giftCard(id, 5_000), redeemed(id, 1_200), refunded(id, 200), giftCard(id, 1_000, true)];
      await project(db, events);
      expect(await accountByCodeHash(db, HASH)).toMatchObject({
        accountId: id,
        kind: 'gift_card',
        last4: '9424',
        balanceMinor: 5_000,
        overdraft: false,
      });
      const n = await movementCount(db);
      await project(db, events);
      await project(db, [events[1]!]);
      expect(await balance(db, id)).toBe(5_000);
      expect(await movementCount(db)).toBe(n);
    });
  });

  it('two tills redeeming the last value of a card at once: exactly one wins', async () => {
    await withHqDb(backend, async ({ db }) => {
      const id = newId();
      await project(db, [giftCard(id, 3_000)]);
      const ask = (terminalId: string) =>
        authorizeRedemption(db, {
          authId: newId(),
          accountId: id,
          code: CODE,
          amountMinor: 2_000,
          currency: 'EUR',
          terminalId,
        });
      const results = await Promise.allSettled([ask('T1'), ask('T2'), ask('T3')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toMatchObject({ code: 'payment_declined', field: 'amountMinor' });
      expect(lost.reason.message).toMatch(/holds 1000, less than the 2000 asked/);
      expect(await balance(db, id)).toBe(1_000);
    });
  });

  it('an authorisation retried answers the first result; the sale event carrying it does not debit again', async () => {
    await withHqDb(backend, async ({ db }) => {
      const id = newId();
      await project(db, [giftCard(id, 3_000)]);
      const req = {
        authId: newId(),
        accountId: id,
        code: CODE,
        amountMinor: 500,
        currency: 'EUR',
        terminalId: 'T1',
      };
      expect(await authorizeRedemption(db, req)).toMatchObject({ balanceMinor: 2_500 });
      expect(await authorizeRedemption(db, req)).toMatchObject({ balanceMinor: 2_500 });
      await project(db, [redeemed(id, 500, { authId: req.authId })]);
      expect(await balance(db, id)).toBe(2_500);
      // A reversal gives it back once.
      const other = { ...req, authId: newId() };
      await authorizeRedemption(db, other);
      expect(await reverseRedemption(db, other.authId, 'T1')).toEqual({
        reversed: true,
        balanceMinor: 2_500,
      });
      expect(await reverseRedemption(db, other.authId, 'T1')).toMatchObject({ reversed: false });
      expect(await balance(db, id)).toBe(2_500);
      await expect(
        authorizeRedemption(db, { ...req, authId: newId(), currency: 'CHF' }),
      ).rejects.toMatchObject({ field: 'currency' });
    });
  });

  it('an offline redemption that overdraws is applied and raises an exception instead of being lost', async () => {
    await withHqDb(backend, async ({ db }) => {
      const id = newId();
      await project(db, [giftCard(id, 1_000)]);
      await authorizeRedemption(db, {
        authId: newId(),
        accountId: id,
        code: CODE,
        amountMinor: 800,
        currency: 'EUR',
        terminalId: 'T2',
      });
      const offline = redeemed(id, 500, { offline: true });
      await project(db, [offline]);
      expect(await accountById(db, id)).toMatchObject({ balanceMinor: -300, overdraft: true });
      expect(await storedValueExceptions(db)).toMatchObject([
        {
          accountId: id,
          kind: 'overdraft',
          shortfallMinor: 300,
          terminalId: 'T1',
          movementKey: `${offline.id}:t0`,
        },
      ]);
      // Nothing more can be authorised from an overdrawn card; loading it makes it whole again.
      await expect(
        authorizeRedemption(db, {
          authId: newId(),
          accountId: id,
          code: CODE,
          amountMinor: 1,
          currency: 'EUR',
          terminalId: 'T2',
        }),
      ).rejects.toMatchObject({ code: 'payment_declined' });
      await project(db, [giftCard(id, 1_000, true)]);
      expect(await balance(db, id)).toBe(700);

      // A redemption of a card HQ never heard of (its issue lost or not yet sent) is kept, and raised.
      const stranger = newId();
      const unknown = redeemed(stranger, 250, { offline: true, codeHash: hashCode(stranger) });
      await project(db, [unknown]);
      expect(await accountById(db, stranger)).toMatchObject({ balanceMinor: -250, overdraft: true });
      expect((await storedValueExceptions(db)).map((e) => e.movementKey)).toContain(`${unknown.id}:t0`);
    });
  });

  it('property: online issue/load/redeem/refund never take a balance below zero; replay is a no-op', async () => {
    await withHqDb(backend, async ({ db }) => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('load' as const), amount: fc.integer({ min: 1, max: 5_000 }) }),
        fc.record({ kind: fc.constant('redeem' as const), amount: fc.integer({ min: 1, max: 5_000 }) }),
        fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 2_000 }) }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 5_000 }),
          fc.array(op, { maxLength: 12 }),
          async (issue, ops) => {
            const id = newId();
            // Each run its own card: a fresh code, so runs do not collide on the unique hash.
            const code = nextCode();
            const first = {
              ...giftCard(id, issue),
              payload: { ...giftCard(id, issue).payload, codeHash: hashCode(code) },
            };
            const events: EventEnvelope[] = [first];
            await project(db, [first]);
            let expected = issue;
            for (const o of ops) {
              let e: EventEnvelope;
              if (o.kind === 'redeem') {
                const authId = newId();
                const r = await authorizeRedemption(db, {
                  authId,
                  accountId: id,
                  code,
                  amountMinor: o.amount,
                  currency: 'EUR',
                  terminalId: 'T1',
                }).catch(() => undefined);
                if (!r) {
                  expect(o.amount).toBeGreaterThan(expected);
                  continue;
                }
                expected -= o.amount;
                e = redeemed(id, o.amount, { authId });
              } else {
                expected += o.amount;
                e = o.kind === 'load' ? giftCard(id, o.amount, true) : refunded(id, o.amount);
              }
              events.push(e);
              await project(db, [e]);
              const b = (await balance(db, id))!;
              expect(b).toBeGreaterThanOrEqual(0);
              expect(b).toBe(expected);
            }
            const n = await movementCount(db);
            await project(db, events);
            expect(await balance(db, id)).toBe(expected);
            expect(await movementCount(db)).toBe(n);
          },
        ),
        { numRuns: backend.name === 'pglite' ? 25 : 15 },
      );
    });
  });

  it('only the till that made an authorisation may give it back: another till gets 403 and the balance stays', async () => {
    await withHqDb(backend, async ({ db }) => {
      const id = newId();
      await project(db, [giftCard(id, 3_000)]);
      const authId = newId();
      await authorizeRedemption(db, {
        authId,
        accountId: id,
        code: CODE,
        amountMinor: 1_000,
        currency: 'EUR',
        terminalId: 'T1',
      });
      await expect(reverseRedemption(db, authId, 'T9')).rejects.toMatchObject({
        status: 403,
        field: 'authId',
      });
      // Nor may another till reuse it under its own name.
      await expect(
        authorizeRedemption(db, {
          authId,
          accountId: id,
          code: CODE,
          amountMinor: 1_000,
          currency: 'EUR',
          terminalId: 'T9',
        }),
      ).rejects.toMatchObject({ status: 403, field: 'authId' });
      expect(await balance(db, id)).toBe(2_000);
      expect(await reverseRedemption(db, authId, 'T1')).toMatchObject({
        reversed: true,
        balanceMinor: 3_000,
      });
    });
  });

  it('an authorisation a recorded sale used is final: giving it back answers 409, ingested or already projected', async () => {
    await withHqDb(backend, async ({ db }) => {
      const id = newId();
      await project(db, [giftCard(id, 3_000)]);
      const ask = async () => {
        const authId = newId();
        await authorizeRedemption(db, {
          authId,
          accountId: id,
          code: CODE,
          amountMinor: 500,
          currency: 'EUR',
          terminalId: 'T1',
        });
        return authId;
      };
      const projected = await ask();
      await project(db, [redeemed(id, 500, { authId: projected })]);
      await expect(reverseRedemption(db, projected, 'T1')).rejects.toMatchObject({
        status: 409,
        field: 'authId',
      });
      // In the event log but not projected yet (the bus is behind): final all the same.
      const logged = await ask();
      const e = redeemed(id, 500, { authId: logged });
      await sql`INSERT INTO events (id, terminal_id, seq, store_id, type, schema_version, business_date, occurred_at, payload)
        VALUES (${e.id}, ${e.terminalId}, ${e.seq}, ${e.storeId}, ${e.type}, 1, ${e.businessDate}, ${e.occurredAt},
                ${JSON.stringify(e.payload)}::jsonb)`.execute(db);
      await expect(reverseRedemption(db, logged, 'T1')).rejects.toMatchObject({
        status: 409,
        field: 'authId',
      });
      expect(await balance(db, id)).toBe(2_000);
    });
  });

  it('a redemption needs the card code: an account id with a wrong code is refused on code and nothing is taken', async () => {
    await withHqDb(backend, async ({ db }) => {
      const id = newId();
      await project(db, [giftCard(id, 3_000)]);
      for (const code of ['1234567890123', CODE.replace(/4$/, '5'), HASH])
        await expect(
          authorizeRedemption(db, {
            authId: newId(),
            accountId: id,
            code,
            amountMinor: 100,
            currency: 'EUR',
            terminalId: 'T1',
          }),
        ).rejects.toMatchObject({ field: 'code' });
      expect(await balance(db, id)).toBe(3_000);
      expect(await movementCount(db)).toBe(1);
    });
  });

  it('a sale that arrives after its authorisation was given back still takes the money, once', async () => {
    await withHqDb(backend, async ({ db }) => {
      const id = newId();
      await project(db, [giftCard(id, 1_000)]);
      const authId = newId();
      await authorizeRedemption(db, {
        authId,
        accountId: id,
        code: CODE,
        amountMinor: 400,
        currency: 'EUR',
        terminalId: 'T1',
      });
      await reverseRedemption(db, authId, 'T1');
      const sale = redeemed(id, 400, { authId });
      await project(db, [sale]);
      await project(db, [sale]);
      expect(await balance(db, id)).toBe(600);
    });
  });
});
