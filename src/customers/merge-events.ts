import { z } from 'zod';
import { invalid, safeText } from '../core/index.ts';
import type { EventKind } from '../sync/index.ts';

/**
 * Merging customer profiles that are one person, and undoing a wrong merge, as events: nothing is
 * deleted or rewritten, so a merge is undone exactly and the purchase history of every profile follows
 * whatever the events say today.
 *
 * Semantics (the fold below, in log order):
 * - `customer.merged` {survivorId, mergedId} records that mergedId is the same person as survivorId. The
 *   merged id must not be merged into anyone at that moment (merge its canonical profile instead), and
 *   the survivor must not already resolve to the merged id (that would be a cycle); an id is never merged
 *   into itself. The survivor may itself be merged into a third profile: chains resolve to the end
 *   (A←B, A←C, then D←A: B and C resolve to D).
 * - `customer.unmerged` {survivorId, mergedId} undoes exactly that recorded merge, which must be in force:
 *   mergedId leaves survivorId together with everything that was merged into mergedId (before or after),
 *   and every other merge stays. The result is the partition the log would give had that one merge never
 *   happened, whatever came after it.
 */

export const CUSTOMER_MERGE_EVENT_TYPES = {
  customerMerged: 'customer.merged',
  customerUnmerged: 'customer.unmerged',
} as const;

const mergeFields = {
  survivorId: z.uuid(),
  mergedId: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  /** Who decided (a user id or name); absent for a system decision. */
  actor: safeText('name').optional(),
  reason: safeText('reason'),
};

export const customerMergedSchema = z
  .object({
    ...mergeFields,
    /**
     * The duplicate finder's score for the pair in percent, when the merge came from its review queue
     * (whole: HQ's event rules store only whole numbers).
     */
    duplicateScorePct: z.number().int().min(0).max(100).optional(),
  })
  .refine((m) => m.survivorId !== m.mergedId, {
    message: 'a customer cannot be merged into itself',
    path: ['mergedId'],
  });
export type CustomerMerged = z.infer<typeof customerMergedSchema>;

export const customerUnmergedSchema = z.object(mergeFields);
export type CustomerUnmerged = z.infer<typeof customerUnmergedSchema>;

/**
 * The two kinds for HQ's event registry: spread into customers' EventContribution `kinds` (events.ts).
 * HQ writes them itself (a reviewer's decision), so no till sends them.
 */
export const customerMergeEventKinds: Readonly<Record<string, EventKind>> = {
  [CUSTOMER_MERGE_EVENT_TYPES.customerMerged]: { schemas: { 1: customerMergedSchema } },
  [CUSTOMER_MERGE_EVENT_TYPES.customerUnmerged]: { schemas: { 1: customerUnmergedSchema } },
};

export type IdentityEvent =
  | {
      type: typeof CUSTOMER_MERGE_EVENT_TYPES.customerMerged;
      payload: Pick<CustomerMerged, 'survivorId' | 'mergedId'>;
    }
  | {
      type: typeof CUSTOMER_MERGE_EVENT_TYPES.customerUnmerged;
      payload: Pick<CustomerUnmerged, 'survivorId' | 'mergedId'>;
    };

/**
 * The identity event in a logged event (HQ's EventEnvelope or a stored row), or undefined for any other
 * type: HQ folds its log with resolveIdentities(events.map(identityEventOf).filter(...)). Throws when a
 * merge's payload does not match its schema (ingest and HQ's commands check it before it is logged).
 */
export function identityEventOf(e: { type: string; payload: unknown }): IdentityEvent | undefined {
  if (e.type === CUSTOMER_MERGE_EVENT_TYPES.customerMerged)
    return { type: e.type, payload: customerMergedSchema.parse(e.payload) };
  if (e.type === CUSTOMER_MERGE_EVENT_TYPES.customerUnmerged)
    return { type: e.type, payload: customerUnmergedSchema.parse(e.payload) };
  return undefined;
}

export interface IdentityResolver {
  /** The profile an id now stands for: itself unless merged (through any chain). */
  canonicalOf(id: string): string;
  /** Every id that resolves to the same canonical profile as id, itself included, sorted. */
  membersOf(id: string): string[];
}

/** The merge forest: each merged id points at the id it was merged into. */
export interface IdentityState {
  parent: Map<string, string>;
  children: Map<string, Set<string>>;
}

export const emptyIdentityState = (): IdentityState => ({ parent: new Map(), children: new Map() });

function canonical(state: IdentityState, id: string): string {
  let at = id;
  for (let next = state.parent.get(at); next !== undefined; next = state.parent.get(at)) at = next;
  return at;
}

/**
 * Applies one event to the forest, or throws invalid(field) when the log would not make sense: use it to
 * check a merge or unmerge before appending it. Mutates `state`.
 */
export function applyIdentityEvent(state: IdentityState, event: IdentityEvent): void {
  const { survivorId, mergedId } = event.payload;
  if (event.type === CUSTOMER_MERGE_EVENT_TYPES.customerMerged) {
    if (survivorId === mergedId)
      throw invalid('mergedId', `customer ${mergedId} cannot be merged into itself`);
    const already = state.parent.get(mergedId);
    if (already !== undefined)
      throw invalid(
        'mergedId',
        `customer ${mergedId} is already merged into ${already}; merge ${canonical(state, mergedId)} instead`,
      );
    if (canonical(state, survivorId) === mergedId)
      throw invalid(
        'survivorId',
        `customer ${survivorId} is already merged into ${mergedId}; that merge would be a cycle`,
      );
    state.parent.set(mergedId, survivorId);
    const kids = state.children.get(survivorId);
    if (kids) kids.add(mergedId);
    else state.children.set(survivorId, new Set([mergedId]));
    return;
  }
  if (state.parent.get(mergedId) !== survivorId)
    throw invalid(
      'mergedId',
      `customer ${mergedId} is not merged into ${survivorId}, so it cannot be unmerged from it`,
    );
  state.parent.delete(mergedId);
  state.children.get(survivorId)?.delete(mergedId);
}

export function resolverOf(state: IdentityState): IdentityResolver {
  return {
    canonicalOf: (id) => canonical(state, id),
    membersOf(id) {
      const out: string[] = [];
      const stack = [canonical(state, id)];
      while (stack.length > 0) {
        const at = stack.pop()!;
        out.push(at);
        for (const c of state.children.get(at) ?? []) stack.push(c);
      }
      return out.sort();
    },
  };
}

/** Folds merge and unmerge events, in log order, into a resolver. Throws on an event the log cannot hold. */
export function resolveIdentities(events: Iterable<IdentityEvent>): IdentityResolver {
  const state = emptyIdentityState();
  for (const e of events) applyIdentityEvent(state, e);
  return resolverOf(state);
}

/** A sale as far as identity cares: who bought, if anyone is known. */
export interface CustomerSale {
  customerId?: string | undefined;
}

/**
 * Sales with each customer replaced by its canonical profile, the id the sale was rung up under kept as
 * `registeredCustomerId`: after a merge, the survivor's history holds both profiles' purchases, and after
 * an unmerge each profile has its own again.
 */
export function canonicalSales<S extends CustomerSale>(
  sales: readonly S[],
  resolver: IdentityResolver,
): Array<S & { registeredCustomerId?: string }> {
  return sales.map((s) =>
    s.customerId === undefined
      ? s
      : { ...s, customerId: resolver.canonicalOf(s.customerId), registeredCustomerId: s.customerId },
  );
}

/** The purchase history of the person behind customerId: every sale rung up under any of their profiles. */
export function purchaseHistory<S extends CustomerSale>(
  sales: readonly S[],
  resolver: IdentityResolver,
  customerId: string,
): S[] {
  const person = resolver.canonicalOf(customerId);
  return sales.filter((s) => s.customerId !== undefined && resolver.canonicalOf(s.customerId) === person);
}
