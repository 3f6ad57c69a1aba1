import { afterEach, describe, expect, it } from 'vitest';
import { cornerShopConfig, openTestTill, removeTestTills } from '../../../test/fixtures/till.ts';
import { rejection } from '../../../test/helpers/refusals.ts';
import { luhnValid } from '../../core/card-data.ts';
import { SimulatedProvider } from '../../payments/simulated.ts';
import { SALES_EVENT_TYPES, type SaleCompleted } from '../../sales/events.ts';
import { hashCode, makeCode } from './accounts.ts';
import {
  AuthorityUnreachable,
  type AuthorizeAnswer,
  type RemoteAccount,
  type StoredValueAuthority,
} from './hq-client.ts';

afterEach(removeTestTills);

/** HQ as the till sees it: accounts by code hash, authorisations, reversals, and a plug to pull. */
function fakeHq() {
  const accounts = new Map<string, RemoteAccount>();
  const auths = new Map<string, { accountId: string; amountMinor: number; code: string }>();
  const reversed: string[] = [];
  const state = { down: false, reversalsFail: 0 };
  const up = () => {
    if (state.down) throw new AuthorityUnreachable('connect ECONNREFUSED');
  };
  const byId = (id: string) => [...accounts.values()].find((a) => a.accountId === id);
  const authority: StoredValueAuthority = {
    async lookup(codeHash) {
      up();
      return accounts.get(codeHash);
    },
    async authorize(req): Promise<AuthorizeAnswer> {
      up();
      const a = byId(req.accountId);
      if (!a) return { status: 'unknown_account' };
      // HQ redeems only for whoever holds the card: the code must hash to the account's.
      if (accounts.get(hashCode(req.code)) !== a)
        return { status: 'declined', message: 'code: the code does not belong to this gift card' };
      if (a.balanceMinor < req.amountMinor)
        return { status: 'declined', message: `amountMinor: the gift card holds ${a.balanceMinor}` };
      a.balanceMinor -= req.amountMinor;
      auths.set(req.authId, req);
      return { status: 'approved', balanceMinor: a.balanceMinor };
    },
    async reverse(authId) {
      up();
      if (state.reversalsFail > 0 && state.reversalsFail--) throw new AuthorityUnreachable('timeout');
      const r = auths.get(authId)!;
      byId(r.accountId)!.balanceMinor += r.amountMinor;
      reversed.push(authId);
    },
  };
  return { accounts, auths, reversed, state, authority };
}

/** A card sold at another till: only HQ knows it. */
function cardAtHq(hq: ReturnType<typeof fakeHq>, balanceMinor: number) {
  const code = '6011000990139424';
  hq.accounts.set(hashCode(code), {
    accountId: '01900000-0000-7000-8000-00000000c0de',
    kind: 'gift_card',
    last4: '9424',
    currency: 'EUR',
    balanceMinor,
  });
  return code;
}

describe('stored value with HQ as the authority', () => {
  it('a card declined after HQ authorised the gift card part gives the authorisation back; nothing is recorded', async () => {
    const hq = fakeHq();
    const provider = new SimulatedProvider({ outcome: 'decline' });
    const s = openTestTill(cornerShopConfig(), provider, hq.authority);
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const code = cardAtHq(hq, 1_000);
    const seq = s.ledger.lastSeq();
    const cart = s.register.createCart();
    s.register.addLine(cart.id, 'WINE', 2);
    const err = await rejection(
      s.register.complete(cart.id, [
        { kind: 'gift_card', code, amountMinor: 1_000 },
        { kind: 'card', amountMinor: 798 },
      ]),
    );
    expect(err).toMatchObject({ code: 'payment_declined', field: 'tenders' });
    expect(hq.reversed).toHaveLength(1);
    expect([...hq.accounts.values()][0]!.balanceMinor).toBe(1_000);
    expect(s.ledger.lastSeq()).toBe(seq);
    expect(s.register.getCart(cart.id).lines).toMatchObject([{ sku: 'WINE', qty: 2 }]); // still open

    // HQ does not answer the reversal this time: the till keeps it owed and gives it back when HQ answers.
    hq.state.reversalsFail = 1;
    await rejection(
      s.register.complete(cart.id, [
        { kind: 'gift_card', code, amountMinor: 400 },
        { kind: 'card', amountMinor: 1_398 },
      ]),
    );
    expect([...hq.accounts.values()][0]!.balanceMinor).toBe(600);
    expect(s.db.prepare('SELECT COUNT(*) FROM stored_value_reversals').pluck().get()).toBe(1);
    expect(await s.register.checkBalance(code)).toMatchObject({ source: 'hq' });
    expect([...hq.accounts.values()][0]!.balanceMinor).toBe(1_000);
    expect(s.db.prepare('SELECT COUNT(*) FROM stored_value_reversals').pluck().get()).toBe(0);
    expect(hq.reversed).toHaveLength(2);
  });

  it('HQ refuses what the card no longer holds, naming the tender; the till’s older balance does not count', async () => {
    const hq = fakeHq();
    const s = openTestTill(cornerShopConfig(), new SimulatedProvider(), hq.authority);
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const code = cardAtHq(hq, 1_000);
    expect(await s.register.checkBalance(code)).toMatchObject({ balanceMinor: 1_000, source: 'hq' });
    hq.accounts.get(hashCode(code))!.balanceMinor = 300; // spent at another till since
    const err = await rejection(s.sell([['WINE', 1]], [{ kind: 'gift_card', code, amountMinor: 899 }]));
    expect(err).toMatchObject({ code: 'validation', field: 'tenders[0].amountMinor' });
    expect(err.message).toMatch(/holds 300/);
    const ok = await s.sell([['MILK', 1]], [{ kind: 'gift_card', code, amountMinor: 119 }]);
    expect(ok.tenders[0]).toMatchObject({ kind: 'gift_card', authId: expect.any(String), last4: '9424' });
    expect(s.register.balance(code).balanceMinor).toBe(181);
  });

  it('offline: redemptions up to the limit against the last known balance, marked offline; HQ back resets the limit', async () => {
    const hq = fakeHq();
    const config = cornerShopConfig({ storedValue: { offlineLimitMinor: 1_000 } });
    const s = openTestTill(config, new SimulatedProvider(), hq.authority);
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    const code = cardAtHq(hq, 5_000);
    await s.register.checkBalance(code); // the till now knows the card and its balance
    hq.state.down = true;
    const first = await s.sell([['WINE', 1]], [{ kind: 'gift_card', code, amountMinor: 899 }]);
    expect(first.tenders[0]).toMatchObject({ kind: 'gift_card', offline: true });
    const seq = s.ledger.lastSeq();
    const over = await rejection(s.sell([['MILK', 1]], [{ kind: 'gift_card', code, amountMinor: 119 }]));
    expect(over).toMatchObject({ code: 'unavailable', field: 'tenders[0].amountMinor' });
    expect(over.message).toMatch(/up to 101 .*offline limit 1000, last known balance 4101/);
    expect(s.ledger.lastSeq()).toBe(seq);
    expect(await s.register.checkBalance(code)).toMatchObject({ balanceMinor: 4_101, source: 'till' });

    // HQ answers again (it has not heard of the offline sale yet): the till keeps the offline part off.
    hq.state.down = false;
    expect(await s.register.checkBalance(code)).toMatchObject({ balanceMinor: 4_101, source: 'hq' });
    const online = await s.sell([['MILK', 1]], [{ kind: 'gift_card', code, amountMinor: 119 }]);
    expect(online.tenders[0]).toMatchObject({ authId: expect.any(String) });
    const sale = s.ledger.saleById(online.saleId)!.payload as SaleCompleted;
    expect(sale.tenders[0]).not.toHaveProperty('offline');
    expect(s.ledger.range(1, 100).filter((e) => e.type === SALES_EVENT_TYPES.saleCompleted)).toHaveLength(2);
  });

  it('an unknown card offline is refused: there is no balance to go by', async () => {
    const hq = fakeHq();
    const s = openTestTill(cornerShopConfig(), new SimulatedProvider(), hq.authority);
    s.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    hq.state.down = true;
    const err = await rejection(
      s.sell([['MILK', 1]], [{ kind: 'gift_card', code: '6011000990139424', amountMinor: 119 }]),
    );
    expect(err).toMatchObject({ code: 'not_found', field: 'tenders[0].code' });
  });

  it('asks HQ with the code the customer presented, not the account id alone; a code HQ refuses is named on the tender', async () => {
    const hq = fakeHq();
    const code = cardAtHq(hq, 5_000);
    const till = openTestTill(cornerShopConfig(), new SimulatedProvider(), hq.authority);
    till.register.openShift({ cashierId: 'alice', openingFloatMinor: 0 });
    await till.sell(
      [['WINE', 1]],
      [{ kind: 'gift_card', code: code.replace(/(\d{4})/g, '$1 ').trim(), amountMinor: 899 }],
    );
    expect([...hq.auths.values()].map((a) => a.code)).toEqual([code]);
    // HQ's record of the card changed (another code now owns the account): HQ refuses, the till says where.
    const a = hq.accounts.get(hashCode(code))!;
    hq.accounts.delete(hashCode(code));
    hq.accounts.set(hashCode('6011000000000000'), a);
    const err = await rejection(till.sell([['WINE', 1]], [{ kind: 'gift_card', code, amountMinor: 899 }]));
    expect(err).toMatchObject({ status: 400, field: 'tenders[0].code' });
  });
});

describe('gift card codes', () => {
  it('are never a Luhn-valid number, so no card-data scan mistakes one for a payment card', () => {
    for (let i = 0; i < 2_000; i++) {
      const code = makeCode();
      expect(code).toMatch(/^[1-9]\d{15}$/);
      expect(luhnValid(code)).toBe(false);
    }
  });
});
