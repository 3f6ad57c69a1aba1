import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { hqMigrations } from '../../src/apps/shared/hq-migrations.ts';
import { dropSchema, type HqDb, type OpenHqDb, openHqDb } from '../../src/db/hq-db.ts';

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

/**
 * A fresh HQ database for each test of the describe block it is called in (with `once`, one for all of
 * them), opened and `seed`ed before and closed after, so a block does not write that bookkeeping again.
 * Read it as `h.db` inside tests and hooks that run after the opening.
 */
export function useHqDb(
  open: HqBackend['open'],
  opts: { once?: boolean; seed?: (db: HqDb) => Promise<void>; timeoutMs?: number } = {},
): { readonly db: HqDb; readonly kind: OpenHqDb['kind'] } {
  let current: OpenHqDb | undefined;
  const opened = (): OpenHqDb => {
    if (!current) throw new Error('the HQ database is open only inside tests and hooks after beforeEach');
    return current;
  };
  (opts.once ? beforeAll : beforeEach)(async () => {
    current = await open();
    await opts.seed?.(current.db);
  }, opts.timeoutMs);
  (opts.once ? afterAll : afterEach)(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get db() {
      return opened().db;
    },
    get kind() {
      return opened().kind;
    },
  };
}
