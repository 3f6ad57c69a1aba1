/** Sales' till-only entry: the tables it owns in the till's ledger.db. */

export { AUTH_EVENT_TYPES } from '../auth-events.ts';
export * from './approvals.ts';
export * from './cart.ts';
export * from './item-search.ts';
export { salesLedgerMigrations } from './ledger-migrations/index.ts';
export * from './promotion-use-client.ts';
export * from './receipt.ts';
export * from './register.ts';
export * from './register-config.ts';
export * from './tenders.ts';
export type { SessionView, TillSessions } from './till-sessions.ts';
export { SIGN_IN_HINT, sessionLocked } from './till-sessions.ts';
export type { TillUser, TillUserDirectory, TillUserSource } from './till-users.ts';
export { localUserId } from './till-users.ts';
