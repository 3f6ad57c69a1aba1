import type { HqDb } from '../db/index.ts';

/** Kysely types of the people tables (migrations 0006, 0014 and 0025), joined onto HQ's schema with withTables. */
export type AccessTables = {
  districts: { id: string; name: string };
  district_stores: { district_id: string; store_id: string };
  users: {
    username: string;
    display_name: string;
    password_hash: string;
    active: boolean;
    created_at: Date;
    /** Set when removed but kept because history names them (0025). */
    removed_at: Date | null;
  };
  user_password_links: {
    token_hash: string;
    username: string;
    purpose: 'invite' | 'reset';
    created_by: string;
    created_at: Date;
    expires_at: Date;
    used_at: Date | null;
  };
  sessions: { token_hash: string; username: string; created_at: Date; expires_at: Date };
  roles: { id: string; name: string };
  role_permissions: { role_id: string; permission: string };
  user_grants: {
    username: string;
    role_id: string;
    scope_kind: 'store' | 'district' | 'chain';
    scope_id: string;
  };
};

export const acc = (db: HqDb) => db.withTables<AccessTables>();
