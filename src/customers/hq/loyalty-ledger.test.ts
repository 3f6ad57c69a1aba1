import { describe, expect, it } from 'vitest';
import { tillEvent } from '../../../test/fixtures/ingest.ts';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { berlinStore } from '../../../test/helpers/stores.ts';
import { enrollTerminal } from '../../access/index.ts';
import { hqEventRegistry } from '../../apps/shared/event-registry.ts';
import { createStore } from '../../catalog/hq/stores.ts';
import { DEFAULT_LOYALTY_PROGRAMME } from '../../contracts/index.ts';
import { newId } from '../../core/index.ts';
import { ingestBatch, rebuildProjections } from '../../sync/hq/index.ts';
import { LOYALTY_EVENT_TYPES } from '../loyalty-events.ts';
import {
  loyaltyBalance,
  loyaltyExceptions,
  loyaltyHistory,
  writeLoyaltyProgramme,
} from './loyalty-accounts.ts';
import { adjustPoints, authorizeBurn, releaseBurn } from './loyalty-ledger.ts';

/**
 * HQ's ledger of record for points: tills' events earn, burn, reverse and refund once each; online
 * burns are row-locked debits; offline burns overdraw into an exception; a rebuild keeps every balance.
 */
const NOW = new Date('2026-03-02T12:00:00Z');
const AT = '2026-03-02T10:00:00+01:00';

const salePoints = (customerId: string, over: Record<string, unknown> = {}) => ({
  customerId,
  saleId: newId(),
  currency: 'EUR',
  tier: 'bronze',
  earned: 0,
  lines: [],
  eligibleNetMinor: 0,
  burned: 0,
  burnValueMinor: 0,
  balanceAfter: 0,
  ...over,
});

describe.each(hqBackends())('HQ loyalty ledger on $name', ({ open }) => {
  const h = useHqDb(open, {
    seed: async (db) => {
      await createStore(db, berlinStore('S001'));
      await createStore(db, berlinStore('S002'));
      await writeLoyaltyProgramme(db, { ...DEFAULT_LOYALTY_PROGRAMME, enabled: true });
    },
  });

  it('earns at store A, spends online at store B, overdraws offline into an exception, and keeps it all through re-ingest and rebuild', async () => {
    const a = await enrollTerminal(h.db, { storeId: 'S001', terminalId: 'S001-C001' });
    const b = await enrollTerminal(h.db, { storeId: 'S002', terminalId: 'S002-C001' });
    const ta = { storeId: 'S001', terminalId: a.terminalId };
    const tb = { storeId: 'S002', terminalId: b.terminalId };
    const customer = newId();
    const send = async (till: typeof a, events: ReturnType<typeof tillEvent>[]) => {
      const r = await ingestBatch(
        h.db,
        hqEventRegistry,
        till,
        { terminalId: till.terminalId, events },
        { now: NOW },
      );
      expect(r.rejected).toEqual([]);
    };

    // Store A: 600.00 spent, 600 points earned.
    const earn = tillEvent(
      ta,
      1,
      LOYALTY_EVENT_TYPES.salePoints,
      salePoints(customer, {
        earned: 600,
        lines: [{ lineNo: 1, qty: 2, points: 600 }],
        eligibleNetMinor: 60_000,
        balanceAfter: 600,
      }),
      AT,
    );
    await send(a, [earn]);
    expect(await loyaltyBalance(h.db, customer, NOW)).toMatchObject({
      balancePoints: 600,
      tier: 'silver',
      spend12mMinor: 60_000,
    });

    // Store B, online: HQ debits 250 points now; the sale event carrying the authorisation debits nothing more.
    const authId = newId();
    expect(
      await authorizeBurn(h.db, { authId, customerId: customer, points: 250, terminalId: b.terminalId }),
    ).toEqual({
      authId,
      balancePoints: 350,
      applied: [],
    });
    expect(
      await authorizeBurn(h.db, { authId, customerId: customer, points: 250, terminalId: b.terminalId }),
    ).toMatchObject({
      balancePoints: 350,
    });
    await expect(
      authorizeBurn(h.db, { authId: newId(), customerId: customer, points: 400, terminalId: b.terminalId }),
    ).rejects.toMatchObject({
      code: 'payment_declined',
      field: 'points',
    });
    const burn = tillEvent(
      tb,
      1,
      LOYALTY_EVENT_TYPES.salePoints,
      salePoints(customer, {
        burned: 250,
        burnValueMinor: 250,
        authId,
        balanceAfter: 350,
      }),
      AT,
    );
    await send(b, [burn]);
    expect((await loyaltyBalance(h.db, customer, NOW)).balancePoints).toBe(350);
    await expect(releaseBurn(h.db, authId, b.terminalId)).rejects.toMatchObject({ code: 'conflict' });

    // Store A again, offline: 500 points spent against a stale balance; HQ applies it below zero.
    const offline = tillEvent(
      ta,
      2,
      LOYALTY_EVENT_TYPES.salePoints,
      salePoints(customer, {
        burned: 500,
        burnValueMinor: 500,
        offline: true,
        balanceAfter: 100,
      }),
      AT,
    );
    await send(a, [offline]);
    expect(await loyaltyBalance(h.db, customer, NOW)).toMatchObject({ balancePoints: -150, overdraft: true });
    expect(await loyaltyExceptions(h.db)).toEqual([
      {
        customerId: customer,
        movementKey: `${offline.id}:burn`,
        shortfallPoints: 150,
        terminalId: a.terminalId,
      },
    ]);

    // A return of half the first sale takes back half its points and half its spend.
    const ret = tillEvent(
      ta,
      3,
      LOYALTY_EVENT_TYPES.returnPoints,
      {
        customerId: customer,
        returnId: newId(),
        saleId: (earn.payload as { saleId: string }).saleId,
        reversed: 300,
        refunded: 0,
        eligibleNetMinor: 30_000,
        balanceAfter: -450,
      },
      AT,
    );
    await send(a, [ret]);
    expect(await loyaltyBalance(h.db, customer, NOW)).toMatchObject({
      balancePoints: -450,
      tier: 'bronze',
      spend12mMinor: 30_000,
    });

    // Delivered again and rebuilt twice: nothing moves.
    await send(a, [earn, offline, ret]);
    await send(b, [burn]);
    await rebuildProjections(h.db, hqEventRegistry);
    await rebuildProjections(h.db, hqEventRegistry, { atomic: false, chunkSize: 1 });
    expect((await loyaltyBalance(h.db, customer, NOW)).balancePoints).toBe(-450);
    expect((await loyaltyHistory(h.db, customer)).map((m) => [m.kind, m.points])).toEqual([
      ['reverse', -300],
      ['burn', -500],
      ['burn', -250],
      ['earn', 600],
    ]);

    // Head office makes good the overdraft by hand, once.
    const adj = {
      adjustmentId: newId(),
      customerId: customer,
      points: 450,
      reason: 'goodwill',
      actor: 'admin',
    };
    expect(await adjustPoints(h.db, adj)).toEqual({ applied: true, balancePoints: 0 });
    expect(await adjustPoints(h.db, adj)).toEqual({ applied: false, balancePoints: 0 });
  });

  it('a burn the sale never used is given back once, only by the till that made it', async () => {
    const customer = newId();
    await adjustPoints(h.db, {
      adjustmentId: newId(),
      customerId: customer,
      points: 100,
      reason: 'welcome',
      actor: 'admin',
    });
    const authId = newId();
    await authorizeBurn(h.db, { authId, customerId: customer, points: 100, terminalId: 'T1' });
    await expect(releaseBurn(h.db, authId, 'T2')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await releaseBurn(h.db, authId, 'T1')).toEqual({ released: true, balancePoints: 100 });
    expect(await releaseBurn(h.db, authId, 'T1')).toEqual({ released: false, balancePoints: 100 });
  });

  it('two tills spending the last points at once: exactly one wins', async () => {
    const customer = newId();
    await adjustPoints(h.db, {
      adjustmentId: newId(),
      customerId: customer,
      points: 300,
      reason: 'welcome',
      actor: 'admin',
    });
    const ask = (t: string) =>
      authorizeBurn(h.db, { authId: newId(), customerId: customer, points: 200, terminalId: t });
    const results = await Promise.allSettled([ask('T1'), ask('T2'), ask('T3')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await loyaltyBalance(h.db, customer, NOW)).balancePoints).toBe(100);
  });
});
