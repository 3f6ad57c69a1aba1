export { folderHolder, recordFolderUrl } from './folder-lock.ts';
export type { HqDb, OpenHqDb } from './hq-db.ts';
export { openHqDb } from './hq-db.ts';
export type { ForecastLevel, HqSchema } from './hq-schema.ts';
export type { SchemaMigration } from './schema-migration.ts';
export { orderMigrations } from './schema-migration.ts';
export type { SqliteDb } from './sqlite.ts';
export { openSqlite } from './sqlite.ts';
