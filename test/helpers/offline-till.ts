import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  type RunningTerminal,
  type StartTerminalOptions,
  startTerminal,
} from '../../src/apps/terminal/start.ts';
import type { CatalogProduct, CatalogSnapshot, IngestResult } from '../../src/contracts/wire.ts';
import { cornerShop } from '../fixtures/till.ts';

/**
 * HQ as a till's route tests need it: the catalog snapshot, and batches acknowledged without being
 * held, so nothing the test watches depends on sync.
 */
export function catalogOnlyHq(products: CatalogProduct[]): typeof fetch {
  const snapshot: CatalogSnapshot = { cursor: 'c1', full: true, store: cornerShop, products };
  return (async (url: URL | string) => {
    if (new URL(String(url)).pathname === '/api/v1/terminal/catalog') return Response.json(snapshot);
    const r: IngestResult = { accepted: 0, duplicates: 0, rejected: [], heldUpTo: 0, gaps: [] };
    return Response.json(r);
  }) as typeof fetch;
}

/** HQ that serves the catalog and answers 503 to everything else (the till's sync keeps failing). */
export function catalogThenDownHq(products: CatalogProduct[] = []): typeof fetch {
  const snapshot: CatalogSnapshot = { cursor: 'c1', full: true, store: cornerShop, products };
  return (async (url: URL | string) =>
    new URL(String(url)).pathname === '/api/v1/terminal/catalog'
      ? Response.json(snapshot)
      : new Response('down', { status: 503 })) as typeof fetch;
}

/**
 * A till for store s1 in a fresh temporary folder (or in `extra.dataDir`, which the caller then owns);
 * close() stops it and removes the folder it made. `dataDir` is where its files are.
 */
export async function startTestTill(
  fetchFn: typeof fetch,
  extra: Partial<StartTerminalOptions> = {},
): Promise<RunningTerminal & { dataDir: string }> {
  const dir = extra.dataDir ?? mkdtempSync(join(tmpdir(), 'tally-till-'));
  const till = await startTerminal({
    dataDir: dir,
    hqUrl: 'http://hq.test',
    token: 'tok',
    storeId: 's1',
    terminalId: 'T1',
    port: 0,
    logger: pino({ level: 'silent' }),
    fetch: fetchFn,
    syncIntervalMs: 60_000,
    ...extra,
  });
  return {
    ...till,
    dataDir: dir,
    close: async () => {
      await till.close();
      if (!extra.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
