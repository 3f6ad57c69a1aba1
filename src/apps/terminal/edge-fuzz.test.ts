import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogOnlyHq, startTestTill } from '../../../test/helpers/offline-till.ts';
import { operationsOf, requestsFor } from '../../../test/helpers/openapi-fuzz.ts';
import { unsafeStoredValues } from '../../../test/helpers/stored-text-scan.ts';
import { fuzzProducts, tillRoutes } from '../../../test/helpers/till-routes.ts';
import { DEMO_MANAGER, type RunningTerminal } from './start.ts';

/**
 * The class behind "one NUL in a customer name blocks the till's sync forever": the till's API edge
 * must refuse anything it could not store or send on. Every route and every field comes from the
 * till's own /openapi.json, so a route added tomorrow is fuzzed without anyone editing this test.
 * For each, hostile values: the till never answers 5xx, every 4xx names the field, and afterwards
 * nothing in ledger.db holds a text or number HQ could not take.
 */
let till: RunningTerminal;
beforeAll(async () => {
  till = await startTestTill(catalogOnlyHq(fuzzProducts), { seedManager: DEMO_MANAGER });
});
afterAll(async () => {
  await till?.close();
});

describe('the till refuses hostile input on every documented route', () => {
  it('never answers 5xx, names the field of every 4xx, and stores nothing HQ could not take', async () => {
    const api = tillRoutes(till);
    const doc = (await api.get('/openapi.json')).json as Parameters<typeof operationsOf>[0];
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      await api.freshState();
      for (const r of requestsFor(op, api.known)) {
        const res = await api.send(r);
        sent++;
        const answer = JSON.stringify(res.json)?.slice(0, 200);
        if (res.status >= 500) failures.push(`${r.label} → ${res.status} ${answer}`);
        else if (res.status >= 400 && !(typeof res.json?.field === 'string' && res.json.field !== ''))
          failures.push(`${r.label} → ${res.status} without a field: ${answer}`);
      }
    }
    expect(sent).toBeGreaterThan(2_000);
    expect({ failures, stored: unsafeStoredValues(till.ledger.db.name) }).toEqual({
      failures: [],
      stored: [],
    });
  }, 300_000);
});
