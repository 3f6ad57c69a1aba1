import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../test/helpers/hq-db.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { upsertProducts } from '../../catalog/hq/products.ts';
import { type RunningHq, startHq } from '../hq/server.ts';

// Each CLI run starts tsx; on the shared 2-core machine that takes a while.
vi.setConfig({ testTimeout: 180_000 });

const TALLY = fileURLToPath(new URL('../../../bin/tally.js', import.meta.url));
const SHOPIFY = fileURLToPath(new URL('../../../test/fixtures/import/shopify-products.csv', import.meta.url));
const ADMIN = 'import-hq-lock-admin-token-0123456789';
const tempDir = tempDirs('import-hq-lock', 'all');

/** `tally <args>` in a child process, without blocking this one (HQ answers it from here). */
const tally = async (args: string[]) => {
  try {
    const r = await promisify(execFile)(process.execPath, [TALLY, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', TALLY_TOKEN: '' },
    });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
};

describe('tally import while HQ holds its data folder', () => {
  let hq: RunningHq;
  let data: string;
  beforeAll(async () => {
    data = join(tempDir(), 'hq');
    hq = await startHq({ dataDir: data, port: 0, logger: silentLogger, adminToken: ADMIN });
    await upsertProducts(hq.db, [
      {
        sku: 'OAT-1',
        name: 'Oat Drink Barista 1L',
        priceMinor: 229,
        taxRateBp: 700,
        barcodes: ['7394376616228'],
      },
    ]);
  }, 180_000);
  afterAll(async () => {
    await hq?.close();
  });

  it('plans through HQ’s API against the real catalog, never an empty one', async () => {
    const r = await tally([
      'import',
      'shopify',
      SHOPIFY,
      '--data',
      data,
      '--token',
      ADMIN,
      '--tax-class-map',
      '*=standard',
      '--tax-rate-bp',
      '1900',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // The oat drink HQ holds is matched (and kept), so only nine products are new.
    expect(r.out).toMatch(/new 9 · matched 1 \(0 changed\)/);
  });

  it('without a token it refuses, saying how', async () => {
    const r = await tally(['import', 'shopify', SHOPIFY, '--data', data]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--token/);
  });

  it('when HQ recorded no URL, the import and other commands refuse instead of opening the folder', async () => {
    rmSync(join(data, 'tally.url'));
    const imp = await tally(['import', 'shopify', SHOPIFY, '--data', data, '--token', ADMIN]);
    expect(imp.code).not.toBe(0);
    expect(imp.err).toMatch(/held by process \d+.*--hq http/);
    const users = await tally(['users', 'list', '--data', data]);
    expect(users.code).not.toBe(0);
    expect(users.err).toMatch(/in use by process \d+/);
  });
});
