import { HQ_SOURCE_ID } from '../../access/index.ts';
import type { EventEnvelope } from '../../core/index.ts';
import { findCardData, textProblem } from '../../core/index.ts';
import type { EventRegistry } from '../event-kinds.ts';
import { nestedTooDeep, type PayloadProblem, payloadProblem } from '../payload-bounds.ts';
import { datesProblem } from './event-dates.ts';
import { type EventRules, hqEventRules } from './event-rules-config.ts';

/**
 * HQ's rules for one till event, apart from storage: whether it may enter the event log, and the
 * payload to store (only what its schema allows). Pure, so ingest, rebuild and tests share it.
 * An event that fails is quarantined by ingest (kept, listed, its seq counted as held), never a 500.
 *
 * In order: no card data anywhere (any type, known or not); a known type matches its schema, which
 * strips every key it does not name; every text is safe to store and every number within the shop's
 * limits (payload-bounds.ts); the type's own rules hold (its module's `check`: money documents add up,
 * src/sales/hq/sale-arithmetic.ts); business dates are near HQ's clock (event-dates.ts; HQ's own
 * back-dated imports are exempt). Types not in the registry are stored as they come (a newer till may
 * know more) and projected by nobody.
 */
export interface EventCheckContext {
  /** The event types HQ understands, with their schemas and rules. */
  registry: EventRegistry;
  /** HQ's clock, for business dates that cannot be right (on rebuild: when HQ received the event). */
  now: Date;
  /** Limits and date window; the process's configured rules (TALLY_EVENT_RULES) when absent. */
  rules?: EventRules;
}

export type EventCheckResult =
  | { ok: true; event: EventEnvelope }
  | { ok: false; field: string; reason: string };

const refuse = (p: PayloadProblem): EventCheckResult => ({ ok: false, field: p.field, reason: p.reason });

export function checkEvent(e: EventEnvelope, ctx: EventCheckContext): EventCheckResult {
  const rules = ctx.rules ?? hqEventRules();
  if (nestedTooDeep(e.payload))
    return refuse({ field: 'payload', reason: 'is nested too deep to be an event' });
  const card = findCardData(e.payload, 'payload');
  if (card)
    return refuse({
      field: card.path,
      reason:
        card.what === 'card number'
          ? 'holds a full card number; a till sends only the masked number and the processor token'
          : 'names card data (card number, track data, security code or expiry), which HQ never stores',
    });
  for (const f of ['type', 'storeId', 'terminalId'] as const) {
    const problem = textProblem(String(e[f]), 'code');
    if (problem) return refuse({ field: f, reason: problem });
  }

  const kind = ctx.registry.kinds.get(e.type);
  const byVersion = kind?.schemas;
  let payload: Record<string, unknown> = e.payload;
  if (byVersion) {
    const schema = byVersion[e.schemaVersion];
    if (!schema)
      return refuse({
        field: 'schemaVersion',
        reason: `${e.type} v${e.schemaVersion} is not known to this HQ (knows ${Object.keys(byVersion).join(', ')})`,
      });
    const parsed = schema.safeParse(e.payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = ['payload', ...(issue?.path ?? []).map(String)].join('.');
      return refuse({ field, reason: issue?.message ?? 'invalid payload' });
    }
    payload = parsed.data as Record<string, unknown>;
  }

  const bounds = payloadProblem(payload, { kind, limits: rules.limits });
  if (bounds) return refuse(bounds);
  const own = kind?.check?.(payload);
  if (own) return refuse(own);
  if (e.terminalId !== HQ_SOURCE_ID) {
    const dates = datesProblem(e, ctx.now, rules.dates);
    if (dates) return refuse(dates);
  }
  return { ok: true, event: { ...e, payload } };
}
