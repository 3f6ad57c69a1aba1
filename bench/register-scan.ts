import { withBenchTill } from './bench-till.ts';
import { ms, summarise } from './stats.ts';

const SCANS = 2_000;
const LINES_PER_CART = 25;

/**
 * What the register screen waits for after a scan: POST …/lines over HTTP on a real till (catalog
 * cache, SQLite cart, pricing engine with cashier discounts and tax) until the updated cart total is
 * back. Carts grow to 25 lines, a basket discount on every cart, so later scans price bigger carts.
 * Also counts the ledger events a typical sale writes (5 scans, a line void, a discount, a split
 * cash/card payment, a receipt), which is what the outbox ships per sale.
 */
export async function benchRegisterScan(): Promise<Record<string, string | number>[]> {
  return await withBenchTill('scan', async ({ hq, till, signedIn }) => {
    const codes = (await hq.db.selectFrom('barcodes').select('code').limit(200).execute()).map((r) => r.code);
    const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fetch(`${till.url}${path}`, {
        method,
        headers: {
          ...signedIn,
          'x-manager-id': 'M1',
          'x-manager-pin': '1234',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await r.json()) as Record<string, unknown>;
    };
    await call('POST', '/api/v1/shifts', { cashierId: 'bench', openingFloatMinor: 10_000 });

    const scan: number[] = [];
    let cartId = '';
    for (let i = 0; i < SCANS; i++) {
      if (i % LINES_PER_CART === 0) {
        if (cartId) await call('POST', `/api/v1/carts/${cartId}/void`, { reason: 'bench' });
        cartId = String((await call('POST', '/api/v1/carts', {})).cartId);
        await call('POST', `/api/v1/carts/${cartId}/lines`, { code: codes[0], qty: 1 });
        await call('POST', `/api/v1/carts/${cartId}/discounts`, { percent: 5, reason: 'bench' });
      }
      const t0 = performance.now();
      const cart = await call('POST', `/api/v1/carts/${cartId}/lines`, {
        code: codes[(i * 7) % codes.length],
        qty: 1,
      });
      scan.push(performance.now() - t0);
      if (!(cart.totals as { grossMinor?: number } | undefined)?.grossMinor) throw new Error('no total');
    }
    await call('POST', `/api/v1/carts/${cartId}/void`, { reason: 'bench' });

    // The same scans in process: the register's own share of the latency, without HTTP.
    const direct: number[] = [];
    let local = '';
    for (let i = 0; i < SCANS; i++) {
      if (i % LINES_PER_CART === 0) {
        if (local) till.register.voidSale(local, 'bench');
        local = till.register.createCart().id;
      }
      const t0 = performance.now();
      till.register.addLine(local, codes[(i * 7) % codes.length]!, 1);
      direct.push(performance.now() - t0);
    }
    till.register.voidSale(local, 'bench');

    // A typical sale, counted in ledger events.
    const before = till.ledger.lastSeq();
    const cart = String((await call('POST', '/api/v1/carts', {})).cartId);
    for (let k = 0; k < 5; k++)
      await call('POST', `/api/v1/carts/${cart}/lines`, { code: codes[k * 3], qty: 1 });
    await call('DELETE', `/api/v1/carts/${cart}/lines/5`);
    await call('POST', `/api/v1/carts/${cart}/discounts`, { lineNo: 1, percent: 10, reason: 'dented' });
    const total = (await call('GET', `/api/v1/carts/${cart}`)).totals as { grossMinor: number };
    const sale = await call('POST', `/api/v1/carts/${cart}/complete`, {
      tenders: [
        { kind: 'card', amountMinor: Math.floor(total.grossMinor / 2) },
        { kind: 'cash', tenderedMinor: total.grossMinor },
      ],
    });
    if (typeof sale.saleId !== 'string') throw new Error(`typical sale failed: ${JSON.stringify(sale)}`);
    await fetch(`${till.url}/api/v1/sales/${sale.saleId}/receipt`, { headers: signedIn });
    const typical = till.ledger.lastSeq() - before;
    const withoutVoid = typical - 1;

    const s = summarise(scan);
    const d = summarise(direct);
    return [
      {
        measure: `scan → cart total over HTTP (${SCANS} scans, carts up to ${LINES_PER_CART} lines)`,
        n: s.n,
        median: ms(s.median),
        p99: ms(s.p99),
        mean: ms(s.mean),
      },
      {
        measure: 'same scans in process (register.addLine, no HTTP)',
        n: d.n,
        median: ms(d.median),
        p99: ms(d.p99),
        mean: ms(d.mean),
      },
      {
        measure: 'ledger events per typical sale (5 scans, 1 line void, discount, card+cash, receipt)',
        n: 1,
        median: `${typical} (${withoutVoid} without the void)`,
        p99: '',
        mean: '',
      },
    ];
  });
}
