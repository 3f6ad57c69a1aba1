import { describe, expect, it, vi } from 'vitest';
import { seed } from '../../../test/fixtures/replenish-seed.ts';
import { hqBackends, silentLogger, withHqDb } from '../../../test/helpers/hq-db.ts';
import { appendToHqLog } from '../../apps/shared/event-registry.ts';
import { receiveFromSupplier } from '../../inventory/hq/operations.ts';
import { refreshHqForecasts } from '../forecast/hq-refresh.ts';
import { defaultPolicy } from './engine.ts';
import { readHqInputs, replenishFromHq } from './hq-inputs.ts';
import { approveDraft, cancelDraft, editLine, getDraft, listDrafts, saveDrafts } from './store.ts';

// One PGlite and one forecast per backend; on the shared 2-core machine that can pass a minute.
vi.setConfig({ testTimeout: 180_000 });

/** The nightly run plans for the whole chain, so it supersedes every untouched draft of the last one. */
const nightly = { actor: 'nightly', policy: defaultPolicy, storeIds: 'all' } as const;

/**
 * Defect 14 at HQ: an approved purchase order is on order until its units arrive or it is cancelled, so
 * the next run does not order them again; a new run replaces the untouched drafts of the last one.
 */
describe.each(hqBackends())('on order at HQ on $name', (backend) => {
  it('an approved order stops the next run ordering the same coffee; a part delivery leaves only the rest on order', async () => {
    await withHqDb(backend, async ({ db }) => {
      await seed(db);
      await refreshHqForecasts(db, {
        horizonDays: 28,
        asOf: '2026-03-31',
        logger: silentLogger,
        threads: 0,
        backtest: false,
      });
      const o = { policy: defaultPolicy, leadDaysBySupplier: { 'Beans Ltd': 3 } };
      const coffee = (r: Awaited<ReturnType<typeof replenishFromHq>>) =>
        r.drafts.flatMap((d) => d.lines).find((l) => l.sku === 'COFFEE');
      const coffeeInput = async () => (await readHqInputs(db, o)).inputs.find((i) => i.sku === 'COFFEE');

      // Monday night's run drafts coffee; nobody looks at it, and Tuesday night's run replaces it.
      const monday = await replenishFromHq(db, o);
      const ordered = coffee(monday)?.qty ?? 0;
      expect(ordered).toBeGreaterThan(20);
      const first = await saveDrafts(db, monday.drafts, nightly);
      const tuesday = await replenishFromHq(db, o);
      expect(coffee(tuesday)?.qty).toBe(ordered);
      const second = await saveDrafts(db, tuesday.drafts, nightly);
      expect(second.superseded).toEqual(first.ids);
      expect((await listDrafts(db, { status: 'draft' })).map((d) => d.id)).toEqual(second.ids);
      expect((await getDraft(db, first.ids[0] as string)).status).toBe('superseded');

      // The manager approves Tuesday's draft: the next run sees it on order and orders no more coffee.
      const po = second.ids[0] as string;
      await approveDraft(db, po, 'maria');
      expect(await coffeeInput()).toMatchObject({ onHand: 3, onOrder: ordered });
      const wednesday = await replenishFromHq(db, o);
      expect(coffee(wednesday)).toBeUndefined();

      // 12 arrive: on hand goes up by 12, on order down by 12, and still nothing more is ordered.
      const deps = { db, append: appendToHqLog };
      await receiveFromSupplier(deps, {
        storeId: 'S1',
        supplier: 'Beans Ltd',
        reference: po,
        lines: [{ sku: 'COFFEE', qty: 12, unitCostMinor: 300 }],
      });
      expect(await coffeeInput()).toMatchObject({ onHand: 15, onOrder: ordered - 12 });
      // Matched once, however often replenishment runs.
      expect(await coffeeInput()).toMatchObject({ onOrder: ordered - 12 });
      expect(coffee(await replenishFromHq(db, o))).toBeUndefined();
      const received = (await getDraft(db, po)).decisions.filter((d) => d.action === 'received');
      expect(received).toHaveLength(1);
      expect(received[0]?.detail).toMatchObject({ lines: [{ line: 1, qty: 12 }] });

      // Cancelled: the 12 stay on hand, the rest is no longer on order.
      await cancelDraft(db, po, 'maria', 'supplier out of stock');
      expect(await coffeeInput()).toMatchObject({ onHand: 15, onOrder: 0 });
      await expect(cancelDraft(db, po, 'maria')).rejects.toMatchObject({ code: 'conflict' });
    });
  });

  it('a draft a manager has edited is kept by the next run and counts as on order', async () => {
    await withHqDb(backend, async ({ db }) => {
      await seed(db);
      await refreshHqForecasts(db, {
        horizonDays: 28,
        asOf: '2026-03-31',
        logger: silentLogger,
        threads: 0,
        backtest: false,
      });
      const o = { policy: defaultPolicy, leadDaysBySupplier: { 'Beans Ltd': 3 } };
      const first = await saveDrafts(db, (await replenishFromHq(db, o)).drafts, nightly);
      const id = first.ids[0] as string;
      await editLine(db, id, 1, 120, 'maria');
      const next = await replenishFromHq(db, o);
      expect(next.drafts.flatMap((d) => d.lines).find((l) => l.sku === 'COFFEE')).toBeUndefined();
      const saved = await saveDrafts(db, next.drafts, nightly);
      expect(saved.superseded).toEqual([]);
      expect((await getDraft(db, id)).status).toBe('draft');
    });
  });

  it('drafts saved without a planned scope (added by hand) withdraw nobody’s open drafts', async () => {
    await withHqDb(backend, async ({ db }) => {
      await seed(db);
      await refreshHqForecasts(db, {
        horizonDays: 28,
        asOf: '2026-03-31',
        logger: silentLogger,
        threads: 0,
        backtest: false,
      });
      const o = { policy: defaultPolicy };
      const planned = await saveDrafts(db, (await replenishFromHq(db, o)).drafts, nightly);
      const byHand = await saveDrafts(db, (await replenishFromHq(db, o)).drafts, {
        actor: 'maria',
        policy: defaultPolicy,
      });
      expect(byHand.superseded).toEqual([]);
      for (const id of planned.ids) expect((await getDraft(db, id)).status).toBe('draft');
    });
  });
});
