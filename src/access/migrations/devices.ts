import type { SchemaMigration } from '../../db/index.ts';
import { hq0016DeviceEnrollment } from './0016_device_enrollment.ts';

/** The HQ tables of till enrollment codes, revocation and token rotation (0016). */
export const deviceHqMigrations: readonly SchemaMigration[] = [hq0016DeviceEnrollment];
