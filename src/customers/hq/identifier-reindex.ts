import { sql } from 'kysely';
import type { HqDb } from '../../db/index.ts';
import { openWhenKeyed, writePersonalFields } from './personal-index.ts';

/**
 * Re-indexing every profile's identifiers with today's normaliser (personal-index.ts: phones in E.164
 * read in the registering store's country). Profiles projected before it were indexed as their till
 * stored the phone (digits only), so searching them by the number as typed today missed. Each profile's
 * fields are opened again from its sealed payload with its key (a plaintext v1 registration from the
 * fields the projection kept), and indexed afresh: running it twice writes the same rows. When every
 * profile is done, `hq_config` records the normaliser, and searches stop trying the old forms.
 *
 * HQ runs it in the background at start when the mark is missing (`startIdentifierReindex`); a rebuild
 * needs none (replay indexes with today's normaliser).
 */
const MARK = 'customer_identifiers_normaliser';
/** Names what the index holds; a new normaliser takes a new value and re-indexes once more. */
export const IDENTIFIER_NORMALISER = 'phone-e164-in-registering-store-country';

export async function identifiersCurrent(db: HqDb): Promise<boolean> {
  const { rows } = await sql<{ value: string }>`SELECT value FROM hq_config WHERE key = ${MARK}`.execute(db);
  return rows[0]?.value === IDENTIFIER_NORMALISER;
}

export interface ReindexResult {
  profiles: number;
  /** False when stopped before the end (the mark is then not written; the next start goes on). */
  done: boolean;
}

export async function reindexCustomerIdentifiers(
  db: HqDb,
  opts: { batch?: number; shouldStop?: () => boolean } = {},
): Promise<ReindexResult> {
  const batch = opts.batch ?? 500;
  let after = '00000000-0000-0000-0000-000000000000';
  let profiles = 0;
  for (;;) {
    if (opts.shouldStop?.()) return { profiles, done: false };
    const n = await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{
        customer_id: string;
        sealed_pii: unknown;
        phone: string | null;
        email: string | null;
        name: string | null;
        card_number: string | null;
      }>`SELECT customer_id, sealed_pii, phone, email, name, card_number FROM customer_profiles
         WHERE customer_id > ${after}::uuid
           AND (phone IS NOT NULL OR email IS NOT NULL OR card_number IS NOT NULL)
         ORDER BY customer_id LIMIT ${batch} FOR UPDATE`.execute(trx);
      for (const r of rows) {
        const opened = r.sealed_pii !== null && (await openWhenKeyed(trx, r.customer_id));
        if (!opened)
          await writePersonalFields(trx, r.customer_id, {
            ...(r.phone ? { phone: r.phone } : {}),
            ...(r.email ? { email: r.email } : {}),
            ...(r.name ? { name: r.name } : {}),
            ...(r.card_number ? { cardNumber: r.card_number } : {}),
          });
      }
      if (rows.length > 0) after = rows[rows.length - 1]!.customer_id;
      return rows.length;
    });
    profiles += n;
    if (n < batch) break;
  }
  await sql`INSERT INTO hq_config (key, value) VALUES (${MARK}, ${IDENTIFIER_NORMALISER})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
  return { profiles, done: true };
}

/** HQ's start: re-indexes in the background when the mark is missing; stop() waits for the batch. */
export function startIdentifierReindex(
  db: HqDb,
  log: { info(o: object, m: string): void; warn(o: object, m: string): void },
): { stop(): Promise<void> } {
  let stopping = false;
  const run = (async () => {
    if (await identifiersCurrent(db)) return;
    const r = await reindexCustomerIdentifiers(db, { shouldStop: () => stopping });
    if (r.done) log.info(r, 'customer identifiers re-indexed (phones in E.164)');
  })().catch((err: unknown) =>
    log.warn(
      { err },
      'customer identifier re-index failed; searches keep trying old forms, retried at next start',
    ),
  );
  return {
    async stop() {
      stopping = true;
      await run;
    },
  };
}
