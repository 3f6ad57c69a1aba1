import type { SchemaMigration } from '../../db/index.ts';
import { hq0017TillUsers } from './0017_till_users.ts';

/** The HQ migrations of till sign-in (0017), listed in src/apps/shared/hq-migrations.ts. */
export const tillUserHqMigrations: readonly SchemaMigration[] = [hq0017TillUsers];
