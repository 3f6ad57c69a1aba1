/**
 * Customer identity, for HQ's profile projection and routes to wire in (kept apart from index.ts while
 * that is being changed): phone numbers in E.164, normalised identifiers and exact matching, the
 * probable-duplicate review queue, and the merge/unmerge events with their fold.
 */
export { type BlockingStats, blockingKeys } from './duplicate-blocking.ts';
export { assessPair, nameSimilarity, type PairAssessment, type ScoreOptions } from './duplicate-score.ts';
export {
  compareCandidates,
  DEFAULT_DUPLICATE_THRESHOLD,
  type DuplicateCandidate,
  type DuplicateOptions,
  type DuplicateReport,
  findDuplicates,
} from './duplicates.ts';
export { gmailMailbox, intendedDomain } from './email-typos.ts';
export {
  type CustomerProfileInput,
  createIdentityIndex,
  type IdentifierKind,
  type IdentityIndex,
  type IdentityProfile,
  identifierKeys,
  identityProfile,
  identityProfileLenient,
  normalizeLoyaltyCard,
  normalizeName,
  normalizePostcode,
} from './identity.ts';
export { jaroWinkler } from './jaro-winkler.ts';
export {
  applyIdentityEvent,
  CUSTOMER_MERGE_EVENT_TYPES,
  type CustomerMerged,
  type CustomerSale,
  type CustomerUnmerged,
  canonicalSales,
  customerMergedSchema,
  customerMergeEventKinds,
  customerUnmergedSchema,
  emptyIdentityState,
  type IdentityEvent,
  type IdentityResolver,
  type IdentityState,
  identityEventOf,
  purchaseHistory,
  resolveIdentities,
  resolverOf,
} from './merge-events.ts';
export { countryOfLocale, type PhoneNumber, parsePhone, toE164 } from './phone.ts';
