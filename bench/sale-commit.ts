import { withBenchTill } from './bench-till.ts';
import { bareSqliteCommit } from './sqlite-baseline.ts';
import { ms, summarise } from './stats.ts';

const SALES = 1000;

/**
 * A real till against a real (embedded) HQ: each sale has three scanned lines and is paid in cash;
 * the timed part is completing it, which is the durable ledger commit the cashier waits for.
 * The bare SQLite insert+commit with the same pragmas is measured in the same run as the floor.
 */
export async function benchSaleCommit(): Promise<Record<string, string | number>[]> {
  const measured = await withBenchTill('till', async ({ hq, till, signedIn }) => {
    const codes = (await hq.db.selectFrom('barcodes').select('code').limit(50).execute()).map((r) => r.code);
    till.register.openShift({ cashierId: 'bench', openingFloatMinor: 10_000 });
    const direct: number[] = [];
    for (let i = 0; i < SALES; i++) {
      const cart = till.register.createCart();
      for (let k = 0; k < 3; k++)
        till.register.addLine(cart.id, codes[(i + k * 7) % codes.length]!, 1 + (k % 2));
      const t0 = performance.now();
      await till.register.complete(cart.id, [{ kind: 'cash', tenderedMinor: 100_000 }]);
      direct.push(performance.now() - t0);
    }
    const http: number[] = [];
    const post = (path: string, body: unknown) =>
      fetch(`${till.url}${path}`, {
        method: 'POST',
        headers: { ...signedIn, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ cartId: string }>);
    for (let i = 0; i < SALES / 4; i++) {
      const cart = await post('/api/v1/carts', {});
      await post(`/api/v1/carts/${cart.cartId}/lines`, { code: codes[i % codes.length], qty: 1 });
      const t0 = performance.now();
      await post(`/api/v1/carts/${cart.cartId}/complete`, {
        tenders: [{ kind: 'cash', tenderedMinor: 100_000 }],
      });
      http.push(performance.now() - t0);
    }
    return { direct, http };
  });
  const bare = bareSqliteCommit(SALES, 1500);
  const row = (what: string, s: ReturnType<typeof summarise>) => ({
    what,
    n: s.n,
    median: ms(s.median),
    p99: ms(s.p99),
  });
  return [
    row('sale complete (register, ledger commit)', summarise(measured.direct)),
    row('sale complete over HTTP (POST …/complete)', summarise(measured.http)),
    row('bare SQLite insert+commit, same pragmas', bare),
  ];
}
