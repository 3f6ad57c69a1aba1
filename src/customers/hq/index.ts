export * from './loyalty-accounts.ts';
export * from './loyalty-ledger.ts';
export * from './loyalty-migrations.ts';
export * from './loyalty-projection.ts';

/** Customers at head office: data keys, the profile projection, consent, erasure, subject access, campaigns. */
import { customerEventContribution } from '../events.ts';
import { customerProfileProjection } from './profile-projection.ts';

export * from './campaign-list.ts';
export * from './customer-keys.ts';
export * from './duplicate-review.ts';
export * from './erasure.ts';
export * from './hq-customer-writes.ts';
export * from './identifier-reindex.ts';
export { customerIndexSecret } from './index-secret.ts';
export * from './merges.ts';
export { customersHqMigrations } from './migrations/index.ts';
export { normaliseIdentifier } from './personal-index.ts';
export * from './profile-projection.ts';
export * from './profile-read.ts';
export * from './subject-access.ts';

/** What customers contributes to HQ's event log: its event kinds and the profile projection. */
export const customerHqEvents = customerEventContribution([customerProfileProjection]);
export * from './till-customers.ts';
export * from './till-lookup.ts';
