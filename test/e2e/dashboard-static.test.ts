import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { serveDashboard } from '../../src/apps/hq/static.ts';
import { createHttpApp } from '../../src/apps/shared/http.ts';
import { writeScreenBundle } from '../helpers/screen-bundle.ts';
import { tempDirs } from '../helpers/temp-dirs.ts';

const logger = pino({ level: 'silent' });
const tempDir = tempDirs('dash');

async function app(dir: string) {
  const a = await createHttpApp({ title: 't', description: 'd', logger });
  a.get('/api/v1/stores', async () => [{ id: 'S001' }]);
  await serveDashboard(a, { logger, dir });
  return a;
}

describe('HQ serving the dashboard', () => {
  it('serves the bundle under /dashboard/, sends / there, and leaves the API alone', async () => {
    const a = await app(writeScreenBundle(tempDir(), '<!doctype html><title>Tally dashboard</title>'));
    const get = (url: string) => a.inject({ method: 'GET', url });

    const home = await get('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/dashboard/');
    expect((await get('/dashboard')).headers.location).toBe('/dashboard/');

    const index = await get('/dashboard/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('Tally dashboard');
    expect(index.headers['cache-control']).toBe('no-cache');

    const asset = await get('/dashboard/assets/index-abc.js');
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toMatch(/immutable/);

    // Screen paths get index.html; attempts to climb out of the bundle never get a file from outside.
    expect((await get('/dashboard/insights?store=S001')).body).toContain('Tally dashboard');
    for (const url of [
      '/dashboard/../../package.json',
      '/dashboard/%2e%2e/%2e%2e/package.json',
      '/dashboard/..%2f..%2fpackage.json',
    ])
      expect((await get(url)).body).not.toContain('dependencies');

    expect((await get('/api/v1/stores')).json()).toEqual([{ id: 'S001' }]);
    expect((await get('/api/v1/nope')).statusCode).toBe(404);
    await a.close();
  });

  it('says how to build the dashboard when the bundle is missing', async () => {
    const a = await app(join(tempDir(), 'none'));
    const res = await a.inject({ method: 'GET', url: '/dashboard/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
    await a.close();
  });
});
