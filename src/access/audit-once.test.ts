import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../test/helpers/hq-db.ts';
import { fixedClock } from '../core/index.ts';
import {
  listAudit,
  recordAudit,
  recordAuditOnce,
  type SourcedAuditInput,
  verifyAuditChain,
} from './audit-log.ts';

const noSale = (n: number): SourcedAuditInput => ({
  sourceEventId: `event-${n}`,
  input: {
    actor: { kind: 'user', id: 'ana' },
    action: 'till.no_sale',
    storeId: 'S001',
    terminalId: 'S001-C001',
    requestId: `event-${n}`,
    after: { reason: 'change' },
  },
});

describe.each(hqBackends())('entries made from events, on $name', ({ open }) => {
  const h = useHqDb(open);

  it('appends a large batch once, keeps HQ entries in the same chain, and adds nothing on a replay', async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const first = Array.from({ length: 1_200 }, (_, i) => noSale(i));
    // A batch naming one event twice records it once.
    expect(await recordAuditOnce(h.db, [...first, noSale(3)], clock)).toHaveLength(1_200);
    await recordAudit(h.db, { actor: { kind: 'user', id: 'maria' }, action: 'auth.sign_in' }, clock);
    const replay = await recordAuditOnce(h.db, [noSale(1_200), ...first.slice(0, 700), noSale(1_201)], clock);
    expect(replay.map((e) => e.requestId)).toEqual(['event-1200', 'event-1201']);
    expect(await verifyAuditChain(h.db, { pageSize: 500 })).toMatchObject({ ok: true, checked: 1_203 });
    const newest = await listAudit(h.db, { limit: 3 });
    expect(newest.map((e) => [e.seq, e.action, e.requestId])).toEqual([
      [1_203, 'till.no_sale', 'event-1201'],
      [1_202, 'till.no_sale', 'event-1200'],
      [1_201, 'auth.sign_in', null],
    ]);
  });
});
