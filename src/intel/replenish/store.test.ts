import { describe, expect, it } from 'vitest';
import { hqBackends, withHqDb } from '../../../test/helpers/hq-db.ts';
import { defaultPolicy } from './engine.ts';
import { sampleDrafts } from './sample-drafts.ts';
import { approveDraft, editLine, getDraft, listDrafts, rejectDraft, saveDrafts } from './store.ts';

describe.each(hqBackends())('draft purchase orders at HQ on $name', (backend) => {
  it('stores drafts by supplier with their inputs, and records who created them', () =>
    withHqDb(backend, async ({ db }) => {
      const { ids } = await saveDrafts(db, sampleDrafts(), { actor: 'nightly', policy: defaultPolicy });
      const list = await listDrafts(db, { status: 'draft' });
      expect(list.map((d) => [d.supplierId, d.lines, d.totalMinor]).sort()).toEqual([
        ['bakery', 2, 42 * 120 + 12 * 200],
        ['dairy', 1, 24 * 80],
      ]);
      const d = await getDraft(db, ids[0] as string);
      expect(d.lineItems[0]).toMatchObject({ sku: 'bread', qty: 42, suggestedQty: 42, reason: 'low' });
      expect(d.lineItems[0]?.inputs).toMatchObject({
        model: 'ses',
        leadDays: 7,
        onHand: 3,
        serviceLevel: 0.95,
      });
      expect(d.decisions).toEqual([expect.objectContaining({ action: 'created', actor: 'nightly' })]);
    }));

  it('edits a quantity, approves, and refuses any change after the decision', () =>
    withHqDb(backend, async ({ db }) => {
      const { ids } = await saveDrafts(db, sampleDrafts(), { actor: 'nightly', policy: defaultPolicy });
      const id = ids[0] as string;
      await editLine(db, id, 1, 48, 'maria');
      await approveDraft(db, id, 'maria', 'ok for Monday');
      const d = await getDraft(db, id);
      expect(d.status).toBe('approved');
      expect(d.decidedBy).toBe('maria');
      expect(d.lineItems[0]).toMatchObject({ qty: 48, suggestedQty: 42 });
      expect(d.decisions.map((x) => [x.action, x.actor])).toEqual([
        ['created', 'nightly'],
        ['edited', 'maria'],
        ['approved', 'maria'],
      ]);
      expect(d.decisions[1]?.detail).toMatchObject({ line: 1, from: 42, to: 48 });
      await expect(editLine(db, id, 1, 6, 'maria')).rejects.toMatchObject({ code: 'conflict' });
      await expect(rejectDraft(db, id, 'sam')).rejects.toMatchObject({ code: 'conflict' });
    }));

  it('rejects with a reason, and validates the inputs of an edit', () =>
    withHqDb(backend, async ({ db }) => {
      const { ids } = await saveDrafts(db, sampleDrafts(), { actor: 'nightly', policy: defaultPolicy });
      const id = ids[1] as string;
      await expect(editLine(db, id, 1, -1, 'maria')).rejects.toMatchObject({ field: 'qty' });
      await expect(editLine(db, id, 9, 6, 'maria')).rejects.toMatchObject({ code: 'not_found' });
      await expect(approveDraft(db, id, '  ')).rejects.toMatchObject({ field: 'actor' });
      await rejectDraft(db, id, 'sam', 'supplier closed this week');
      const d = await getDraft(db, id);
      expect(d.status).toBe('rejected');
      expect(d.decisions.at(-1)).toMatchObject({
        action: 'rejected',
        actor: 'sam',
        detail: { note: 'supplier closed this week' },
      });
      expect(await listDrafts(db, { status: 'draft' })).toHaveLength(1);
    }));
});
