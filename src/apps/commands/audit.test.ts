import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hqBackends, useHqDb } from '../../../test/helpers/hq-db.ts';
import { recordAudit } from '../../access/index.ts';
import { fixedClock } from '../../core/index.ts';
import { auditList, auditVerify } from './audit.ts';

describe.each(hqBackends())('tally audit on $name', ({ open }) => {
  const h = useHqDb(open, {
    seed: async (db) => {
      const clock = fixedClock('2025-03-01T09:00:00Z');
      for (const [user, store, action] of [
        ['maria', 'S1', 'inventory.stock_adjusted'],
        ['tom', 'S2', 'catalog.price_changed'],
        ['maria', 'S1', 'auth.sign_in'],
      ] as const) {
        await recordAudit(db, { actor: { kind: 'user', id: user }, action, storeId: store }, clock);
        clock.advance(86_400_000);
      }
    },
  });

  it('verify says the log is intact, and after an entry is altered exits 1 naming it', async () => {
    const lines: string[] = [];
    expect(await auditVerify(h.db, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^audit log intact: 3 entries/);
    await h.db.transaction().execute(async (trx) => {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(trx);
      await sql`UPDATE audit_log SET actor_id = 'nobody' WHERE seq = 2`.execute(trx);
    });
    lines.length = 0;
    expect(await auditVerify(h.db, (l) => lines.push(l))).toBe(1);
    expect(lines[0]).toMatch(/^audit log broken at entry 2: .*altered/);
  });

  const listed = async (o: Parameters<typeof auditList>[1]): Promise<string> => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c) => {
      text += String(c);
    });
    await auditList(h.db, o, out);
    return text;
  };

  it('list filters by user, store, action and days, and --csv writes every match with a header', async () => {
    const seqs = (text: string) =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]);
    expect(seqs(await listed({ limit: '100', user: 'maria' }))).toEqual(['3', '1']);
    expect(seqs(await listed({ limit: '100', store: 'S2' }))).toEqual(['2']);
    expect(seqs(await listed({ limit: '100', action: 'auth' }))).toEqual(['3']);
    expect(seqs(await listed({ limit: '100', since: '2025-03-02', until: '2025-03-02' }))).toEqual(['2']);
    const csv = (await listed({ limit: '1', csv: true, user: 'maria' })).trim().split('\n');
    expect(csv[0]).toMatch(/^seq,at,actor_kind/);
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['3', '1']);
    await expect(listed({ limit: '0' })).rejects.toThrow(/--limit/);
  });
});
