export * from '../contracts/wire.ts';
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
export type { PayloadProblem } from './payload-bounds.ts';
export { resetToBase } from './projection-base.ts';
