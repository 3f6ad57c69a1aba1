import type { SchemaMigration } from '../../../../db/index.ts';
import { hq0007Forecasts } from './0007_forecasts.ts';

/** The HQ tables forecasting owns: stored forecast runs (0007). */
export const forecastHqMigrations: readonly SchemaMigration[] = [hq0007Forecasts];
