import { createHash } from 'node:crypto';

/**
 * One audit entry as plain data, and the hash that chains it to the one before: sha256 over a canonical
 * JSON of every field and the previous hash. Pure, so the writer, the verifier and the tests compute
 * the same bytes; no I/O here.
 */
export type AuditActorKind = 'user' | 'device' | 'admin_token' | 'system';
export type AuditOutcome = 'ok' | 'refused';

export interface AuditActor {
  kind: AuditActorKind;
  id: string;
}

export interface AuditTarget {
  type: string;
  id: string;
}

/** What a writer supplies; the log fills in id, time, seq and the hashes. */
export interface AuditEntryInput {
  actor: AuditActor;
  /** Dotted, lower case: `catalog.price_changed`, `auth.sign_in_failed`. */
  action: string;
  target?: AuditTarget | undefined;
  storeId?: string | undefined;
  terminalId?: string | undefined;
  route?: string | undefined;
  requestId?: string | undefined;
  outcome?: AuditOutcome | undefined;
  before?: unknown;
  after?: unknown;
  reason?: string | undefined;
  /** Defaults to the writer's clock. */
  at?: Date | undefined;
  /** Defaults to a new UUIDv7. */
  id?: string | undefined;
}

/** An entry as stored: every field present, absent ones null. */
export interface AuditEntry {
  seq: number;
  id: string;
  at: Date;
  actorKind: AuditActorKind;
  actorId: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  storeId: string | null;
  terminalId: string | null;
  route: string | null;
  requestId: string | null;
  outcome: AuditOutcome;
  before: unknown;
  after: unknown;
  reason: string | null;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export const ACTION_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * JSON with object keys sorted at every depth and no spaces, so equal values give equal bytes whatever
 * order their keys were built (or jsonb gave them back) in. Undefined object members are left out, as
 * JSON.stringify does; non-finite numbers are refused because no JSON column can keep them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`audit values must be finite numbers, not ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    const parts = keys.map(
      (k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`,
    );
    return `{${parts.join(',')}}`;
  }
  throw new Error(`audit values must be JSON, not ${typeof value}`);
}

/**
 * The value as a JSON column gives it back (Dates as ISO text, undefined members gone), so the hash
 * written and the hash recomputed from the stored row agree.
 */
export const asStoredJson = (value: unknown): unknown =>
  value === undefined ? null : (JSON.parse(canonicalJson(value)) as unknown);

/** The fields the hash covers, in one fixed shape. */
const hashedFields = (e: Omit<AuditEntry, 'hash'>): Record<string, unknown> => ({
  seq: e.seq,
  id: e.id,
  at: e.at.toISOString(),
  actorKind: e.actorKind,
  actorId: e.actorId,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  storeId: e.storeId,
  terminalId: e.terminalId,
  route: e.route,
  requestId: e.requestId,
  outcome: e.outcome,
  before: e.before ?? null,
  after: e.after ?? null,
  reason: e.reason,
  prevHash: e.prevHash,
});

export const auditHash = (e: Omit<AuditEntry, 'hash'>): string =>
  createHash('sha256')
    .update(canonicalJson(hashedFields(e)))
    .digest('hex');

/** The stored entry that follows a chain at `prev` (seq and hash), for the given input. */
export function chainEntry(
  input: AuditEntryInput & { id: string; at: Date },
  prev: { seq: number; hash: string },
): AuditEntry {
  if (!ACTION_PATTERN.test(input.action))
    throw new Error(`audit action "${input.action}" must be dotted lower case, like catalog.price_changed`);
  const unhashed: Omit<AuditEntry, 'hash'> = {
    seq: prev.seq + 1,
    id: input.id,
    at: new Date(input.at.getTime()),
    actorKind: input.actor.kind,
    actorId: input.actor.id,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    storeId: input.storeId ?? null,
    terminalId: input.terminalId ?? null,
    route: input.route ?? null,
    requestId: input.requestId ?? null,
    outcome: input.outcome ?? 'ok',
    before: asStoredJson(input.before),
    after: asStoredJson(input.after),
    reason: input.reason ?? null,
    prevHash: prev.hash,
  };
  return { ...unhashed, hash: auditHash(unhashed) };
}

export type ChainProblemKind = 'gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The seq where the chain first breaks. */
  seq: number;
  /** The entry found there, when there is one. */
  id?: string;
  message: string;
}

/**
 * Checks one entry against the one before it (seq and hash); the first problem, or undefined. Pure, so
 * the database walk and a test over arrays share it.
 */
export function checkLink(prev: { seq: number; hash: string }, e: AuditEntry): ChainProblem | undefined {
  const expected = prev.seq + 1;
  if (e.seq !== expected)
    return {
      kind: 'gap',
      seq: expected,
      message:
        e.seq > expected
          ? `audit entry ${expected} is missing: the chain jumps from ${prev.seq} to ${e.seq} (removed)`
          : `audit entry ${e.seq} (${e.id}) is out of order after ${prev.seq}`,
    };
  if (e.prevHash !== prev.hash)
    return {
      kind: 'prev_hash_mismatch',
      seq: e.seq,
      id: e.id,
      message: `audit entry ${e.seq} (${e.id}) does not follow entry ${prev.seq}: entries were reordered, or ${prev.seq} was altered and rehashed`,
    };
  const { hash: _stored, ...rest } = e;
  if (auditHash(rest) !== e.hash)
    return {
      kind: 'hash_mismatch',
      seq: e.seq,
      id: e.id,
      message: `audit entry ${e.seq} (${e.id}) was altered: its content no longer matches its hash`,
    };
  return undefined;
}
