import { addUser, setTillPin } from '../../src/access/index.ts';
import type { App } from '../../src/apps/shared/http.ts';
import type { TillPermission } from '../../src/contracts/index.ts';
import type { HqDb } from '../../src/db/index.ts';
import type { Register } from '../../src/sales/till/index.ts';

/**
 * A signed-in cashier for tests of the till's register API: `signIn(till)` makes the till's local user
 * (in-process, as the setup would) if missing, signs them in through POST /api/v1/session and returns
 * the headers every later request sends. The default cashier may ring up, refund with a receipt, move
 * cash, close the shift and count or receive stock, but needs an approver for what a shift lead does
 * (discounts over the threshold, price overrides, no-sales, voids of paid sales, refunds without a
 * receipt): exactly what the register asked a manager for before sign-in existed.
 */
export interface TillPerson {
  code: string;
  name: string;
  pin: string;
  /** Omit for every till permission (a manager). */
  permissions?: readonly TillPermission[];
}

export const TEST_CASHIER: TillPerson = {
  code: 'C1',
  name: 'Test cashier',
  pin: '2580',
  permissions: [
    'sell',
    'refund_with_receipt',
    'cash_movement',
    'close_shift',
    'count_stock',
    'receive_stock',
  ],
};

/** The user id a local till user's events and shifts carry. */
export const TEST_CASHIER_ID = `local:${TEST_CASHIER.code}`;

export async function signIn(
  till: { app: App; register: Register },
  who: TillPerson = TEST_CASHIER,
): Promise<Record<string, string>> {
  if (!till.register.users.byCode(who.code))
    till.register.approvals.addManager({
      managerId: who.code,
      name: who.name,
      pin: who.pin,
      ...(who.permissions ? { permissions: who.permissions } : {}),
    });
  const res = await till.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { code: who.code, pin: who.pin },
  });
  if (res.statusCode !== 200)
    throw new Error(`sign-in of ${who.code} answered ${res.statusCode}: ${res.body}`);
  return { authorization: `Bearer ${(res.json() as { sessionToken: string }).sessionToken}` };
}

const signedIn = new WeakMap<object, Promise<Record<string, string>>>();

/**
 * The test cashier's headers at `till`, signed in once per till and reused: what a converted test
 * merges into each request. `signIn` again (or `forget`) after something ends the session.
 */
export function asCashier(till: { app: App; register: Register }): Promise<Record<string, string>> {
  let s = signedIn.get(till.app);
  if (!s) {
    s = signIn(till);
    signedIn.set(till.app, s);
  }
  return s;
}

/** Drops the remembered session of `till`, so the next `asCashier` signs in afresh. */
export const forgetSession = (till: { app: App }): void => void signedIn.delete(till.app);

/** An HQ cashier of `storeId` with a till code and PIN: what a till in another process signs in with after its catalog pull. */
export const HQ_CASHIER = { username: 'till-cashier', code: '7001', pin: '7412' } as const;

export async function addHqCashier(db: HqDb, storeId: string): Promise<void> {
  await addUser(db, {
    username: HQ_CASHIER.username,
    displayName: 'Till cashier',
    role: 'store_manager',
    password: 'till-cashier-password',
    stores: [storeId],
  });
  await setTillPin(db, HQ_CASHIER);
}

/** Signs `who` in at a till reached over HTTP (a child process); the headers to send from then on. */
export async function signInAt(
  tillUrl: string,
  who: { code: string; pin: string } = HQ_CASHIER,
): Promise<Record<string, string>> {
  const res = await fetch(`${tillUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: who.code, pin: who.pin }),
  });
  if (res.status !== 200)
    throw new Error(`sign-in of ${who.code} answered ${res.status}: ${await res.text()}`);
  return { authorization: `Bearer ${((await res.json()) as { sessionToken: string }).sessionToken}` };
}
