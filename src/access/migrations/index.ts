import type { SchemaMigration } from '../../db/index.ts';
import { hq0014Permissions } from './0014_permissions.ts';
import { hq0025UserLinks } from './0025_user_links.ts';

/** The HQ tables access owns from 0014 on: roles, their permissions and users' grants; set-password links (0025). */
export const accessHqMigrations: readonly SchemaMigration[] = [hq0014Permissions, hq0025UserLinks];
