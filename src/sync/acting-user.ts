import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is acting in the work under way: the till's HTTP edge runs each request of a signed-in session
 * inside `actAs`, approvals name their approver with `noteApprover`, and the ledger writes both on every
 * event the request appends. Request-scoped without threading a user through every register call.
 * Outside any request (tests, the CLI) there is no acting user and events carry none.
 */
export interface ActingUser {
  userId: string;
  code: string;
  name: string;
  permissions: readonly string[];
}

interface Acting {
  user: ActingUser;
  approver?: string;
}

const store = new AsyncLocalStorage<Acting>();

export const actAs = <T>(user: ActingUser, fn: () => T): T => store.run({ user }, fn);

export const actingUser = (): ActingUser | undefined => store.getStore()?.user;

/** The approver of what the current request does from here on (the approval's event and after). */
export const noteApprover = (userId: string): void => {
  const s = store.getStore();
  if (s) s.approver = userId;
};

export const actingApprover = (): string | undefined => store.getStore()?.approver;
