/** Sync's till-only entry: its tables in the till's ledger.db. */

export { type HqPostOptions, hqPoster } from './hq-post.ts';
export { syncLedgerMigrations } from './ledger-migrations/index.ts';
export { type LedgerRedaction, redactedLedgerEvents, redactLedgerFields } from './ledger-redactions.ts';
export type { Outbox } from './outbox.ts';
export { createOutbox } from './outbox.ts';
export type { RevocationRecord, TillRevocation } from './revocation.ts';
export { memoryRevocation, revokedMessage } from './revocation.ts';
export type { SyncStatus } from './sync-status.ts';
export { tillSyncState } from './till-sync-state.ts';
export type { LedgerBreak, LedgerVerification } from './verify-ledger.ts';
export { verifyLedger } from './verify-ledger.ts';
