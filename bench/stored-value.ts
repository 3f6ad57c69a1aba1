import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { enrollTerminal } from '../src/access/index.ts';
import { readBenchConfig } from '../src/apps/config.ts';
import { startHq } from '../src/apps/hq/server.ts';
import { newId } from '../src/core/ids.ts';
import { createLogger } from '../src/core/log.ts';
import { dropSchema } from '../src/db/hq-db.ts';
import { SALES_EVENT_TYPES } from '../src/sales/events.ts';
import { applyStoredValueProjection } from '../src/sales/hq/stored-value-movements.ts';
import { hashCode } from '../src/stored-value/index.ts';
import { hqStoredValueClient } from '../src/stored-value/till/hq-client.ts';
import { createBenchStore } from './fixtures.ts';
import { ms, printTable, summarise } from './stats.ts';

const SEQUENTIAL = 300;
const RACERS = 8;
const RACES = 20;

/**
 * Gift card redemption authorisation at HQ, as a till sees it: one HTTP round trip that debits the
 * account under its row lock. Sequential latency from one till, then races: 8 tills at once on a card
 * holding 5 redemptions' worth, where exactly 5 must win every time.
 */
async function run(label: string, dbUrl: string | undefined): Promise<Record<string, string | number>> {
  const logger = createLogger('bench', 'silent');
  const schema = dbUrl ? `bench_sv_${randomBytes(4).toString('hex')}` : undefined;
  const hq = await startHq({ port: 0, logger, dbUrl, schema });
  try {
    await createBenchStore(hq.db);
    const { token } = await enrollTerminal(hq.db, { storeId: 'S001' });
    const client = hqStoredValueClient({ hqUrl: hq.url, token, timeoutMs: 10_000 });
    let n = 0;
    const codes = new Map<string, string>();
    const issue = async (amountMinor: number): Promise<string> => {
      const accountId = newId();
      const code = String(6_000_000_000_000_000 + ++n);
      codes.set(accountId, code);
      await hq.db.transaction().execute((trx) =>
        applyStoredValueProjection(trx, [
          {
            id: newId(),
            type: SALES_EVENT_TYPES.giftCardIssued,
            schemaVersion: 1,
            storeId: 'S001',
            terminalId: 'BENCH',
            seq: n,
            businessDate: '2025-03-01',
            occurredAt: '2025-03-01T10:00:00+01:00',
            payload: {
              accountId,
              last4: code.slice(-4),
              currency: 'EUR',
              amountMinor,
              balanceMinor: amountMinor,
              codeHash: hashCode(code),
            },
          },
        ]),
      );
      return accountId;
    };
    const authorize = (accountId: string) =>
      client.authorize({
        authId: newId(),
        accountId,
        code: codes.get(accountId)!,
        amountMinor: 100,
        currency: 'EUR',
      });

    const card = await issue(100 * (SEQUENTIAL + 20));
    for (let i = 0; i < 20; i++) await authorize(card); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t0 = performance.now();
      const a = await authorize(card);
      latencies.push(performance.now() - t0);
      if (a.status !== 'approved') throw new Error(`bench: authorisation ${i} was ${a.status}`);
    }
    const seq = summarise(latencies);

    let exact = 0;
    const raced: number[] = [];
    for (let r = 0; r < RACES; r++) {
      const racedCard = await issue(500);
      const answers = await Promise.all(
        Array.from({ length: RACERS }, async () => {
          const t0 = performance.now();
          const a = await authorize(racedCard);
          raced.push(performance.now() - t0);
          return a.status;
        }),
      );
      if (answers.filter((s) => s === 'approved').length === 5) exact++;
    }
    const race = summarise(raced);
    return {
      backend: label,
      'authorise median': ms(seq.median),
      'authorise p99': ms(seq.p99),
      'per second (1 till)': Math.round(1000 / seq.mean),
      [`${RACERS} tills racing: median`]: ms(race.median),
      [`${RACERS} tills racing: p99`]: ms(race.p99),
      'races with exactly 5 winners': `${exact}/${RACES}`,
    };
  } finally {
    await hq.close();
    if (dbUrl && schema) await dropSchema(dbUrl, schema);
  }
}

export async function benchStoredValue(): Promise<Record<string, string | number>[]> {
  const rows = [await run('PGlite (embedded)', undefined)];
  const pg = readBenchConfig().pgUrl;
  rows.push(
    pg
      ? await run('PostgreSQL', pg)
      : { backend: 'PostgreSQL', 'authorise median': 'skipped: set TALLY_BENCH_PG_URL' },
  );
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable('Gift card redemption authorisation at HQ over HTTP', await benchStoredValue());
}
