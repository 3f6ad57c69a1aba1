/** The sync layer's public face: the till's ledger and outbox, HQ's ingest and event log. */

export * from './acting-user.ts';
// What a module needs to contribute its events and projections to HQ's log (see event-kinds.ts).
export type {
  BatchCheck,
  BatchProblem,
  EventContribution,
  EventKind,
  EventRegistry,
  Projection,
} from './event-kinds.ts';
export { composeEventRegistry } from './event-kinds.ts';
export * from './ledger.ts';
export type { PayloadProblem } from './payload-bounds.ts';
export type { BaseTable } from './projection-base.ts';
export {
  addToTotals,
  addWithBase,
  BASE_COLUMNS,
  baseTargets,
  resetToBase,
  takeOutBase,
} from './projection-base.ts';
