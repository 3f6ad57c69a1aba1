import type { EventEnvelope } from '../../../core/index.ts';
import { invalid } from '../../../core/index.ts';

export const DEFAULT_STREAM = 'TALLY_EVENTS';
export const DEFAULT_SUBJECT_PREFIX = 'tally.events';
export const DEFAULT_DURABLE = 'hq-projections';

/** A NATS subject token: no dots, spaces or wildcards; empty becomes "_". */
export const subjectToken = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_') || '_';

/**
 * `<prefix>.<storeId>.<event type>`, e.g. tally.events.S001.sale.completed: a subscriber can take one
 * store (`tally.events.S001.>`) or one type across the chain (`tally.events.*.sale.completed`). The
 * type is already dotted lower-case tokens (see the envelope schema).
 */
export const eventSubject = (prefix: string, e: Pick<EventEnvelope, 'storeId' | 'type'>): string =>
  `${prefix}.${subjectToken(e.storeId)}.${e.type}`;

/** Stream and consumer names: letters, digits, "-" and "_" only. */
export function checkName(field: string, name: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw invalid(field, `"${name}" must be letters, digits, - or _`);
  return name;
}
