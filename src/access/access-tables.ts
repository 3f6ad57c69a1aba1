import type { HqDb } from '../db/index.ts';

/** Kysely types of the people tables (migrations 0006 and 0014), joined onto HQ's schema with withTables. */
export type AccessTables = {
  districts: { id: string; name: string };
  district_stores: { district_id: string; store_id: string };
  users: {
    username: string;
    display_name: string;
    password_hash: string;
    active: boolean;
    created_at: Date;
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
