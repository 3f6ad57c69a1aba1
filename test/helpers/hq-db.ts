import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { hqMigrations } from '../../src/apps/shared/hq-migrations.ts';
import { dropSchema, type OpenHqDb, openHqDb } from '../../src/db/hq-db.ts';

export interface HqBackend {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated, empty HQ database; `close()` also drops the test's schema on PostgreSQL. */
  open(): Promise<OpenHqDb>;
}

export const silentLogger = pino({ level: 'silent' });

// Starting PGlite and migrating takes seconds; cloning a migrated one takes well under one.
let template: Promise<PGlite> | undefined;
const migratedTemplate = (): Promise<PGlite> => {
  template ??= (async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const lite = await PGlite.create();
    // Migrated and left open for the life of the worker: closing the handle would close the template.
    await openHqDb({ migrations: hqMigrations, logger: silentLogger, pglite: lite });
    return lite;
  })();
  return template;
};

const openPglite = async (): Promise<OpenHqDb> => {
  const clone = (await (await migratedTemplate()).clone()) as PGlite;
  return openHqDb({ migrations: hqMigrations, logger: silentLogger, pglite: clone });
};

/**
 * The backends a test body should run against: in-memory PGlite always, and PostgreSQL as well when
 * TALLY_TEST_PG_URL is set. Each PostgreSQL open gets its own schema, so test files run in parallel
 * against one shared database. Use as `describe.each(hqBackends())('… on $name', ({ open }) => …)`.
 */
export function hqBackends(): HqBackend[] {
  const backends: HqBackend[] = [{ name: 'pglite', open: openPglite }];
  const url = process.env.TALLY_TEST_PG_URL;
  if (url) {
    backends.push({
      name: 'postgres',
      open: async () => {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        const opened = await openHqDb({ migrations: hqMigrations, url, schema, logger: silentLogger });
        return {
          ...opened,
          close: async () => {
            await opened.close();
            await dropSchema(url, schema);
          },
        };
      },
    });
  }
  return backends;
}

/** Runs `body` with a fresh HQ database and always closes it. */
export async function withHqDb<T>(backend: HqBackend, body: (h: OpenHqDb) => Promise<T>): Promise<T> {
  const h = await backend.open();
  try {
    return await body(h);
  } finally {
    await h.close();
  }
}
