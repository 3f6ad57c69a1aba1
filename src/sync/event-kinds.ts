import type { z } from 'zod';
import type { AuthenticatedTerminal } from '../access/index.ts';
import type { EventEnvelope } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import type { PayloadProblem } from './payload-bounds.ts';

/**
 * What a module tells HQ's event log about the events and projections it owns. Sync is transport: it
 * stores, checks and replays events without knowing one of them, so each module contributes its part
 * through these few types, and the app composes them once (src/apps/shared/event-registry.ts) and
 * passes the result to ingest, rebuild and the bus. Passed, not registered by side effect: a caller
 * that forgets it does not compile, rather than quietly storing sales that nothing projects.
 */

/** One event type HQ understands. */
export interface EventKind {
  /**
   * The payload schema by schema version. Ingest refuses a payload that does not match and stores only
   * what the schema names; a version not listed is refused with the versions this HQ knows.
   */
  schemas: Readonly<Record<number, z.ZodType>>;
  /** The payload's own rules once its schema parsed it (a sale's lines add up to its total). */
  check?: (payload: Record<string, unknown>) => PayloadProblem | undefined;
  /**
   * How the generic number bounds read this type (payload-bounds.ts): `qty` as units on a till line
   * (maxLineQty) rather than stock moved (maxStockQty); top-level amounts as a gift card's value.
   */
  bounds?: { qty?: 'till line'; topLevelMinor?: 'gift card' };
}

/** A read model built from the log: applied to new events, emptied and replayed on rebuild. */
export interface Projection {
  /** Says which projection a problem came from. */
  name: string;
  /** The tables it owns; a rebuild empties them (with `reset` when given) before replaying the log. */
  tables: readonly string[];
  /** Empties the tables for a rebuild when deleting every row is not right (rows with an imported base). */
  reset?: (trx: HqDb) => Promise<void>;
  /** Applies events no projection has seen before, in the caller's transaction. */
  apply: (trx: HqDb, events: readonly EventEnvelope[]) => Promise<void>;
}

/** One event of a batch that a rule needing the database refuses; ingest quarantines it. */
export interface BatchProblem {
  /** The event's index in the batch. */
  index: number;
  field: string;
  reason: string;
}

/** A rule that needs HQ's data (a transfer names a store HQ knows): one query per batch, not per event. */
export type BatchCheck = (
  db: HqDb,
  auth: AuthenticatedTerminal,
  events: readonly EventEnvelope[],
) => Promise<BatchProblem[]>;

/** What one module contributes. */
export interface EventContribution {
  /** The owning module, named in the error when two claim one type or table. */
  module: string;
  kinds?: Readonly<Record<string, EventKind>>;
  projections?: readonly Projection[];
  batchChecks?: readonly BatchCheck[];
}

/** Every module's contribution, composed: what ingest, rebuild and the bus are given. */
export interface EventRegistry {
  readonly kinds: ReadonlyMap<string, EventKind>;
  /** In the order they are applied: the order the contributions were listed. */
  readonly projections: readonly Projection[];
  readonly batchChecks: readonly BatchCheck[];
}

/**
 * Composes the contributions, refusing a type or a table claimed twice: two schemas for one type
 * would make what HQ accepts depend on the order of a list, and two owners of a table would empty
 * each other's rows on rebuild.
 */
export function composeEventRegistry(contributions: readonly EventContribution[]): EventRegistry {
  const kinds = new Map<string, EventKind>();
  const typeOwner = new Map<string, string>();
  const tableOwner = new Map<string, string>();
  const projections: Projection[] = [];
  const batchChecks: BatchCheck[] = [];
  for (const c of contributions) {
    for (const [type, kind] of Object.entries(c.kinds ?? {})) {
      const other = typeOwner.get(type);
      if (other)
        throw new Error(`event type ${type} is contributed by both ${other} and ${c.module}; keep one`);
      typeOwner.set(type, c.module);
      kinds.set(type, kind);
    }
    for (const p of c.projections ?? []) {
      for (const t of p.tables) {
        const other = tableOwner.get(t);
        if (other)
          throw new Error(`table ${t} is owned by both ${other} and ${c.module} (${p.name}); keep one`);
        tableOwner.set(t, `${c.module} (${p.name})`);
      }
      projections.push(p);
    }
    batchChecks.push(...(c.batchChecks ?? []));
  }
  return { kinds, projections, batchChecks };
}
