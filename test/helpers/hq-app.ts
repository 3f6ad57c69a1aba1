import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildHqApp } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import type { App } from '../../src/apps/shared/http.ts';
import { DASHBOARD_PATHS } from '../../src/contracts/dashboard.ts';
import type { EnrollResponse, IngestBatch } from '../../src/contracts/wire.ts';
import type { HqDb } from '../../src/db/hq-db.ts';
import { seedDemoChain } from '../../src/demo/seed.ts';
import { encodeBatch } from '../../src/sync/till/wire-codec.ts';
import { silentLogger } from './hq-db.ts';

/**
 * HQ's HTTP app as the route tests drive it: the admin token's header, a till enrolled over the API,
 * a batch posted the way a till posts it (gzip JSON with its token), a dashboard user signed in, and
 * the demo chain with an enrolled till that most sales tests start from.
 */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** A batch of events (or an already-encoded body) sent to /api/v1/ingest as a till sends it. */
export const postBatch = (
  app: App,
  batch: IngestBatch | Buffer,
  headers: Record<string, string>,
): Promise<LightMyRequestResponse> =>
  app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers },
    payload: Buffer.isBuffer(batch) ? batch : encodeBatch(batch),
  });

/** A till enrolled through POST /api/v1/terminals with the admin token, as `tally terminal` does. */
export async function enrollOverHttp(
  app: App,
  adminToken: string,
  body: { storeId: string; name?: string } = { storeId: 'S001' },
): Promise<EnrollResponse> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/terminals',
    headers: bearer(adminToken),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Signs a dashboard user in and gives the session cookie (name=value) to send with later requests. */
export async function signInCookie(app: App, username: string, password: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: DASHBOARD_PATHS.signIn,
    payload: { username, password },
  });
  expect(res.statusCode).toBe(200);
  return String(res.headers['set-cookie']).split(';')[0] as string;
}

/** The demo chain seeded into `db`, HQ's app over it, and a till of store S001 enrolled over the API. */
export async function demoChainHq(
  db: HqDb,
  adminToken: string,
  chain: { stores: number; products: number },
  enroll: { storeId: string; name?: string } = { storeId: 'S001' },
): Promise<{ app: App; till: EnrollResponse }> {
  await seedDemoChain(db, hqEventRegistry, chain);
  const app = await buildHqApp({ db, logger: silentLogger, adminToken });
  return { app, till: await enrollOverHttp(app, adminToken, enroll) };
}
