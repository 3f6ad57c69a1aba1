import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { writeScreenBundle } from '../../../test/helpers/screen-bundle.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { createHttpApp } from '../shared/http.ts';
import { serveRegisterScreen } from './static.ts';

const logger = pino({ level: 'silent' });
const tempDir = tempDirs('screen');

async function app(dir: string) {
  const a = await createHttpApp({ title: 't', description: 'd', logger });
  a.get('/api/v1/terminal', async () => ({ ok: true }));
  await serveRegisterScreen(a, { logger, dir });
  return a;
}

const bundle = (): string =>
  writeScreenBundle(tempDir(), '<!doctype html><title>Tally register</title>', 'index-abc123.js');

describe('the till serving the register screen', () => {
  it('serves the bundle, index.html for screen paths, and never shadows the API', async () => {
    const a = await app(bundle());
    const get = (url: string) => a.inject({ method: 'GET', url });

    const index = await get('/');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/html/);
    expect(index.headers['cache-control']).toBe('no-cache');

    const asset = await get('/assets/index-abc123.js');
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toMatch(/immutable/);

    expect((await get('/returns?receipt=1')).body).toContain('Tally register');
    expect((await get('/../../package.json')).body).toContain('Tally register');

    expect((await get('/api/v1/terminal')).json()).toEqual({ ok: true });
    const missing = await get('/api/v1/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
    expect((await get('/openapi.json')).json()).toHaveProperty('openapi');
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    await a.close();
  });

  it('says how to build the screen when the bundle is missing', async () => {
    const a = await app(join(tempDir(), 'none'));
    const page = await a.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build:web');
    expect((await a.inject({ method: 'GET', url: '/api/v1/terminal' })).statusCode).toBe(200);
    await a.close();
  });
});
