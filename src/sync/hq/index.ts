/** Sync's HQ-only entry: the tables it owns in HQ's database. */

export type { Backbone } from './bus/backbone.ts';
export { inProcessBackbone } from './bus/in-process.ts';
export type { NatsBusOptions } from './bus/nats.ts';
export { natsBackbone } from './bus/nats.ts';
export { DEFAULT_STREAM, DEFAULT_SUBJECT_PREFIX } from './bus/subjects.ts';
export { catalogChangesSince, catalogTop } from './catalog-changes.ts';
export { listConflicts, syncConflictSchema } from './conflicts.ts';
export type { EventRules } from './event-rules-config.ts';
export { eventRulesSchema, setHqEventRules } from './event-rules-config.ts';
export { storeSyncFigures, storeSyncFiguresSchema } from './figures.ts';
export { seqCoverage } from './gaps.ts';
export { ingestBatch, insertEvents, tooManyEvents } from './ingest.ts';
export type { IngestLimits } from './ingest-limits.ts';
export { defaultIngestLimits, TerminalGate } from './ingest-limits.ts';
export type { LocalEventDraft } from './ingest-local.ts';
export { appendHqEvents } from './ingest-local.ts';
export type { EventRow } from './ingest-projections.ts';
export { projectEvents, rebuildProjections, rowToEnvelope } from './ingest-projections.ts';
export { syncHqMigrations } from './migrations/index.ts';
export { listQuarantine, quarantinedEventSchema } from './quarantine.ts';
export { redactEventFields, redactedAmong } from './redactions.ts';
export type { HqChainBreak, HqChainReport } from './verify-chains.ts';
export { verifyHqChains } from './verify-chains.ts';
