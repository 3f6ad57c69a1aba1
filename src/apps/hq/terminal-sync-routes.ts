import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_PREFIX } from '../../contracts/wire.ts';
import { notFound } from '../../core/errors.ts';
import type { HqDb } from '../../db/hq-db.ts';
import { seqCoverage } from '../../sync/gaps.ts';
import type { App } from '../shared/http.ts';
import { terminalOf } from './auth.ts';

/**
 * A till asks, with its own token, how far HQ holds its events. It does so at start, so a till whose
 * ledger went back in time (restored backup, VM snapshot, lost writes) says so before its first sale
 * reuses a seq HQ already holds. Read-only and cheap: only seqs above the stored mark are scanned.
 */
export function registerTerminalSyncRoutes(
  app: App,
  deps: { db: HqDb; asTerminal: (req: FastifyRequest) => Promise<void> },
): void {
  app.get(
    `${API_PREFIX}/terminal/sync`,
    {
      schema: {
        summary:
          'For a till: the highest seq of its events HQ holds contiguously, and the highest it has seen',
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            terminalId: z.string(),
            heldUpTo: z.number().int(),
            maxSeq: z.number().int(),
          }),
        },
      },
      onRequest: deps.asTerminal,
    },
    async (req) => {
      const { terminalId } = terminalOf(req);
      const t = await deps.db
        .selectFrom('terminals')
        .select(['id', 'held_up_to'])
        .where('id', '=', terminalId)
        .executeTakeFirst();
      if (!t) throw notFound(`terminal ${terminalId}`, 'terminalId');
      const coverage = await seqCoverage(deps.db, t.id, t.held_up_to);
      return { terminalId, heldUpTo: coverage.heldUpTo, maxSeq: coverage.maxSeq };
    },
  );
}
