import { fileURLToPath } from 'node:url';
import { savePromotions } from '../src/catalog/hq/index.ts';
import type { PromotionInput } from '../src/pricing/index.ts';
import { withBenchTill } from './bench-till.ts';
import { ms, printTable, summarise } from './stats.ts';

const SALES = 300;

const tenOff = (id: string, limits?: PromotionInput['limits']): PromotionInput => ({
  id,
  name: `${id}: 10 % off everything`,
  kind: 'percentOff',
  target: {},
  percentBp: 1000,
  ...(limits ? { limits } : {}),
});

/**
 * A sale's commit with a promotion, as the cashier waits for it: with an unlimited promotion (priced
 * at the till alone) and with a limited one (one reservation at HQ over local HTTP before the ledger
 * commit). Each run its own till and embedded HQ, three scanned lines, paid in cash.
 */
async function timed(promotion: PromotionInput): Promise<number[]> {
  return withBenchTill(
    'promo',
    async ({ hq, till }) => {
      const codes = (await hq.db.selectFrom('barcodes').select('code').limit(50).execute()).map(
        (r) => r.code,
      );
      till.register.openShift({ cashierId: 'bench', openingFloatMinor: 10_000 });
      const times: number[] = [];
      for (let i = 0; i < SALES; i++) {
        const cart = till.register.createCart();
        for (let k = 0; k < 3; k++) till.register.addLine(cart.id, codes[(i + k * 7) % codes.length]!, 1);
        const t0 = performance.now();
        const sale = await till.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 100_000 }]);
        times.push(performance.now() - t0);
        if (i === 0 && sale.grossMinor === 0) throw new Error('the bench sale sold nothing');
      }
      return times;
    },
    async (hq) => {
      await savePromotions(hq.db, [promotion]);
    },
  );
}

export async function benchSaleCommitPromotions(): Promise<Record<string, string | number>[]> {
  const row = (what: string, s: ReturnType<typeof summarise>) => ({
    what,
    n: s.n,
    median: ms(s.median),
    p99: ms(s.p99),
  });
  return [
    row('sale complete, unlimited promotion (till only)', summarise(await timed(tenOff('OPEN')))),
    row(
      'sale complete, limited promotion (reserve at HQ, then commit)',
      summarise(await timed(tenOff('LIMITED', { total: 1_000_000 }))),
    ),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable('Sale commit at the till with promotions', await benchSaleCommitPromotions());
}
