import { afterEach, describe, expect, it } from 'vitest';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { fieldsOf, operationsOf, requestWith } from '../../../test/helpers/openapi-fuzz.ts';
import { fuzzProducts, tillRoutes } from '../../../test/helpers/till-routes.ts';
import type { RegisterConfigInput } from '../../sales/till/register-config.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

/**
 * Amounts a shop cannot have (a 90-trillion gift card paid "in cash") are refused at the till's API,
 * with the maxima from its register config: every number a request can carry is capped, and one
 * more than the cap answers 400 naming the field. Checked over the till's own /openapi.json, so a
 * route added later with an uncapped number fails here.
 */
const running: RunningTerminal[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
});
const start = async (registerConfig: RegisterConfigInput = {}) => {
  const t = await startTestTill(catalogOnlyHq(fuzzProducts), { seedManager: DEMO_MANAGER, registerConfig });
  running.push(t);
  return tillRoutes(t);
};
const NINETY_TRILLION_EUR = 9_007_199_254_740_991;

describe('amount caps at the till', () => {
  it('refuses a 90-trillion gift card, cash tender, float, drop, discount and price', async () => {
    const api = await start();
    await api.freshState();
    const cart = api.state.cartId;
    const cases: [string, object, string][] = [
      [
        '/api/v1/gift-cards',
        { amountMinor: NINETY_TRILLION_EUR, tenders: [{ kind: 'cash', tenderedMinor: NINETY_TRILLION_EUR }] },
        'body.amountMinor',
      ],
      [
        '/api/v1/gift-cards',
        { amountMinor: 250_001, tenders: [{ kind: 'cash', tenderedMinor: 250_001 }] },
        'body.amountMinor',
      ],
      [
        '/api/v1/gift-cards',
        { amountMinor: 5_000, tenders: [{ kind: 'cash', tenderedMinor: NINETY_TRILLION_EUR }] },
        'body.tenders.0.tenderedMinor',
      ],
      [
        `/api/v1/carts/${cart}/complete`,
        { tenders: [{ kind: 'card', amountMinor: 100_000_001 }] },
        'body.tenders.0.amountMinor',
      ],
      [
        '/api/v1/shifts/current/cash-drops',
        { amountMinor: NINETY_TRILLION_EUR, reason: 'safe' },
        'body.amountMinor',
      ],
      ['/api/v1/shifts/current/paid-outs', { amountMinor: 1e15, reason: 'window' }, 'body.amountMinor'],
      [`/api/v1/carts/${cart}/discounts`, { amountMinor: 1e12, reason: 'friend' }, 'body.amountMinor'],
      [
        `/api/v1/carts/${cart}/lines/1/price`,
        { unitPriceMinor: 1e12, reason: 'typo' },
        'body.unitPriceMinor',
      ],
      [`/api/v1/carts/${cart}/lines`, { code: 'MILK', qty: 10_001 }, 'body.qty'],
      [
        '/api/v1/shifts/current/close',
        { counted: { denominations: [{ valueMinor: 50_000, count: 1e9 }] } },
        'body.counted.denominations.0.count',
      ],
    ];
    for (const [url, body, field] of cases) {
      const r = await api.post(url, body);
      expect({ url, status: r.status, field: r.json?.field }).toEqual({ url, status: 400, field });
      expect(String(r.json?.message)).toMatch(/at most|limits\./);
    }
    // The shift is still open and its X report still prints.
    expect((await api.get('/api/v1/shifts/current/x-report')).status).toBe(200);
  });

  it('adds scans of one item up to maxLineQty and lines up to maxLines, and no further', async () => {
    const api = await start({ limits: { maxLineQty: 5, maxLines: 1 } });
    await api.freshState(); // its cart holds one line: one WINE
    const cart = api.state.cartId;
    const second = await api.post(`/api/v1/carts/${cart}/lines`, { code: 'MILK', qty: 1 });
    expect(second).toMatchObject({ status: 400, json: { field: 'code' } });
    expect(String(second.json?.message)).toMatch(/limits\.maxLines/);
    expect((await api.post(`/api/v1/carts/${cart}/lines`, { code: 'WINE', qty: 4 })).status).toBe(200);
    const sixth = await api.post(`/api/v1/carts/${cart}/lines`, { code: 'WINE', qty: 1 });
    expect(sixth).toMatchObject({ status: 400, json: { field: 'qty' } });
    expect(String(sixth.json?.message)).toMatch(/limits\.maxLineQty/);
    const patched = await api.send({
      method: 'PATCH',
      url: `/api/v1/carts/${cart}/lines/1`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ qty: 6 }),
    });
    expect(patched).toMatchObject({ status: 400, json: { field: 'body.qty' } });
    const kept = (await api.get(`/api/v1/carts/${cart}`)).json as { lines: { qty: number }[] };
    expect(kept.lines.map((l) => l.qty)).toEqual([5]);
  });

  it('refuses a top-up that would take a card over maxGiftCardMinor, and takes one that fits', async () => {
    const api = await start({ limits: { maxGiftCardMinor: 10_000 } });
    await api.freshState();
    const issued = await api.post('/api/v1/gift-cards', {
      amountMinor: 8_000,
      tenders: [{ kind: 'cash', tenderedMinor: 8_000 }],
    });
    expect(issued.status).toBe(201);
    const code = String(issued.json?.code);
    const over = await api.post('/api/v1/gift-cards/load', {
      code,
      amountMinor: 2_001,
      tenders: [{ kind: 'cash', tenderedMinor: 2_001 }],
    });
    expect(over).toMatchObject({ status: 400, json: { field: 'amountMinor' } });
    expect(String(over.json?.message)).toMatch(/holds 8000.*limits\.maxGiftCardMinor/);
    const fits = await api.post('/api/v1/gift-cards/load', {
      code,
      amountMinor: 2_000,
      tenders: [{ kind: 'cash', tenderedMinor: 2_000 }],
    });
    expect(fits.status).toBe(201);
  });

  it('takes the caps from the register config', async () => {
    const api = await start({ limits: { maxAmountMinor: 50_000, maxGiftCardMinor: 10_000 } });
    await api.freshState();
    const close = await api.post('/api/v1/shifts/current/close', { countedCashMinor: 50_001 });
    expect(close).toMatchObject({ status: 400, json: { field: 'body.countedCashMinor' } });
    expect(String(close.json?.message)).toMatch(/limits\.maxAmountMinor/);
    const card = await api.post('/api/v1/gift-cards', {
      amountMinor: 10_001,
      tenders: [{ kind: 'cash', tenderedMinor: 10_001 }],
    });
    expect(card).toMatchObject({ status: 400, json: { field: 'body.amountMinor' } });
    expect((await api.get('/api/v1/register/config')).json).toMatchObject({
      limits: { maxAmountMinor: 50_000, maxGiftCardMinor: 10_000, maxLineQty: 10_000 },
    });
  });

  it('documents a maximum for every number a request can carry, and refuses one more', async () => {
    const api = await start();
    const ops = operationsOf((await api.get('/openapi.json')).json as Parameters<typeof operationsOf>[0]);
    const uncapped: string[] = [];
    const notRefused: string[] = [];
    for (const op of ops) {
      for (const p of op.params)
        if (['number', 'integer'].includes(p.schema.type) && p.schema.maximum === undefined)
          uncapped.push(`${op.method} ${op.path} ${p.in}.${p.name}`);
      for (const f of op.body ? fieldsOf(op.body) : []) {
        if (!['number', 'integer'].includes(f.schema.type)) continue;
        const where = `body.${f.path.join('.')}`;
        if (f.schema.maximum === undefined) {
          uncapped.push(`${op.method} ${op.path} ${where}`);
          continue;
        }
        await api.freshState();
        const r = await api.send(requestWith(op, api.known, f.path, f.schema.maximum + 1));
        if (r.status !== 400 || r.json?.field !== where)
          notRefused.push(`${op.method} ${op.path} ${where} = max+1 → ${r.status} ${JSON.stringify(r.json)}`);
      }
    }
    expect({ uncapped, notRefused }).toEqual({ uncapped: [], notRefused: [] });
  }, 120_000);
});
