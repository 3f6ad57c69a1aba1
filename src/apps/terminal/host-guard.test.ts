import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { operationsOf } from '../../../test/helpers/openapi-fuzz.ts';
import { fuzzProducts, tillRoutes } from '../../../test/helpers/till-routes.ts';
import { asCashier } from '../../../test/helpers/till-session.ts';
import { hostPolicy, refusal } from './host-guard.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

/**
 * DNS rebinding and the store network: a page on the internet can make the register's own browser
 * send requests to the till under a name it controls, and a till bound to 0.0.0.0 hears everyone.
 * The till answers only host names it knows, and browser requests only from its own origins.
 */
let till: RunningTerminal;
beforeAll(async () => {
  till = await startTestTill(catalogOnlyHq(fuzzProducts), {
    seedManager: DEMO_MANAGER,
    registerConfig: { allowedHosts: ['till-3.store.lan'] },
    allowedHosts: ['10.0.0.7'],
  });
});
afterAll(async () => {
  await till?.close();
});

const ask = async (method: string, url: string, headers: Record<string, string>, payload?: object) =>
  till.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(await asCashier(till)),
      ...(payload ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(payload ? { payload } : {}),
  });

describe('the till answers only the hosts and origins it knows', () => {
  it('refuses a forged Host on every route family with 421 naming what to configure', async () => {
    const api = tillRoutes(till);
    const ops = operationsOf((await api.get('/openapi.json')).json as Parameters<typeof operationsOf>[0]);
    const urls = [
      ...ops.map((o) => [o.method, o.path.replace(/\{\w+\}/g, 'x')] as const),
      ['GET', '/'] as const,
      ['GET', '/assets/index.js'] as const,
      ['GET', '/openapi.json'] as const,
      ['GET', '/health'] as const,
    ];
    for (const [method, url] of urls) {
      for (const host of ['evil.example', 'evil.example:4101', '192.168.1.99']) {
        const r = await ask(method, url, { host });
        expect({ method, url, host, status: r.statusCode }).toEqual({ method, url, host, status: 421 });
        expect(r.json()).toMatchObject({ error: 'misdirected', field: 'Host' });
        expect(r.json().message).toMatch(/allowedHosts/);
      }
    }
  });

  it('answers loopback, its hostname and the configured names', async () => {
    for (const host of [
      'localhost:4101',
      '127.0.0.1',
      '[::1]:4101',
      hostname(),
      'TILL-3.store.lan:4101',
      '10.0.0.7:4101',
    ]) {
      const r = await ask('GET', '/api/v1/terminal', { host });
      expect({ host, status: r.statusCode }).toEqual({ host, status: 200 });
    }
  });

  it('refuses a gift card "paid in cash" asked for by a page of another origin, and writes nothing', async () => {
    const api = tillRoutes(till);
    await api.freshState();
    const before = till.ledger.lastSeq();
    const body = { amountMinor: 5_000, tenders: [{ kind: 'cash', tenderedMinor: 5_000 }] };
    for (const origin of ['http://evil.example', 'null', 'http://localhost.evil.example:4101', 'file://']) {
      const r = await ask('POST', '/api/v1/gift-cards', { host: 'localhost:4101', origin }, body);
      expect({ origin, status: r.statusCode, field: r.json().field }).toEqual({
        origin,
        status: 403,
        field: 'Origin',
      });
    }
    const crossSite = await ask('POST', '/api/v1/gift-cards', { 'sec-fetch-site': 'cross-site' }, body);
    expect(crossSite.statusCode).toBe(403);
    // Reading customers from a foreign page is refused too.
    const read = await ask('GET', '/api/v1/customers?phone=1', { origin: 'http://evil.example' });
    expect(read.statusCode).toBe(403);
    expect(till.ledger.lastSeq()).toBe(before);
  });

  it('takes the same request from its own register screen', async () => {
    const api = tillRoutes(till);
    await api.freshState();
    const body = { amountMinor: 5_000, tenders: [{ kind: 'cash', tenderedMinor: 5_000 }] };
    const r = await ask(
      'POST',
      '/api/v1/gift-cards',
      { host: '127.0.0.1:4101', origin: 'http://127.0.0.1:4101' },
      body,
    );
    expect(r.statusCode).toBe(201);
    const lan = await ask('GET', '/api/v1/terminal', {
      host: 'till-3.store.lan',
      origin: 'http://till-3.store.lan',
    });
    expect(lan.statusCode).toBe(200);
  });
});

describe('host policy', () => {
  it('adds the bound address but never a wildcard', () => {
    expect(hostPolicy({ boundHost: '192.168.1.5' }).hosts.has('192.168.1.5')).toBe(true);
    for (const wildcard of ['0.0.0.0', '::']) {
      const p = hostPolicy({ boundHost: wildcard });
      expect(p.hosts.has(wildcard)).toBe(false);
      expect(refusal({ method: 'GET', headers: { host: '192.168.1.5:4101' } }, p)?.status).toBe(421);
    }
  });
});
