import { z } from 'zod';
import { terminalOf } from '../../access/index.ts';
import { API_BASE } from '../../contracts/index.ts';
import { notFound } from '../../core/index.ts';
import { seqCoverage } from '../../sync/hq/index.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

/**
 * A till asks, with its own token, how far HQ holds its events. It does so at start, so a till whose
 * ledger went back in time (restored backup, VM snapshot, lost writes) says so before its first sale
 * reuses a seq HQ already holds. Read-only and cheap: only seqs above the stored mark are scanned.
 */
export const terminalSyncRoutes: HqRoutes = (app, { db }) => {
  app.get(
    `${API_BASE}/terminal/sync`,
    {
      schema: {
        summary:
          'For a till: the highest seq of its events HQ holds contiguously, and the highest it has seen',
        security: bearer,
        response: {
          200: z.object({
            terminalId: z.string(),
            heldUpTo: z.number().int(),
            maxSeq: z.number().int(),
          }),
        },
      },
      config: { access: 'terminal' },
    },
    async (req) => {
      const { terminalId } = terminalOf(req);
      const t = await db
        .selectFrom('terminals')
        .select(['id', 'held_up_to'])
        .where('id', '=', terminalId)
        .executeTakeFirst();
      if (!t) throw notFound(`terminal ${terminalId}`, 'terminalId');
      const coverage = await seqCoverage(db, t.id, t.held_up_to);
      return { terminalId, heldUpTo: coverage.heldUpTo, maxSeq: coverage.maxSeq };
    },
  );
};
