import type { HqDb } from '../db/index.ts';

/**
 * Kysely types of what migration 0016 adds: enrollment codes, and the lifecycle columns of `terminals`
 * (joined onto db's `TerminalsTable` by withTables, so only access sees them).
 */
export type DeviceTables = {
  enrollment_codes: {
    code_hash: string;
    store_id: string;
    terminal_id: string | null;
    created_by: string;
    created_at: Date;
    expires_at: Date;
    used_at: Date | null;
    used_by_terminal: string | null;
  };
  terminals: {
    revoked_at: Date | null;
    revoked_reason: string | null;
    revoked_by: string | null;
    previous_token_hash: string | null;
    token_rotated_at: Date | null;
  };
};

export const devicesDb = (db: HqDb) => db.withTables<DeviceTables>();
