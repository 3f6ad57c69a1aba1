import type { SchemaMigration } from '../../db/index.ts';
import { hq0014Permissions } from './0014_permissions.ts';

/** The HQ tables access owns from 0014 on: roles, their permissions and users' grants. */
export const accessHqMigrations: readonly SchemaMigration[] = [hq0014Permissions];
