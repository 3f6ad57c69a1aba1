/**
 * Invoice lines folded into baskets: one basket per invoice, holding each product bought on it once.
 * Cancellations (invoice numbers starting with C) and lines with a quantity of zero or less buy
 * nothing and are left out; a basket left empty is dropped.
 */
import { isCancellation, type TransactionLine } from '../customers/index.ts';
import type { Baskets } from './fp-growth.ts';

export interface BasketTable extends Baskets {
  /** Product id of each code. */
  products: string[];
  /** Store of each basket ('' without a store column). */
  store: string[];
  /** Earliest line time of each basket (ms). */
  timeMs: Float64Array;
  invoice: string[];
  /** Customer of each basket ('' for a guest). */
  customer: string[];
}

export class BasketBuilder {
  private readonly codes = new Map<string, number>();
  readonly products: string[] = [];
  private readonly byInvoice = new Map<string, number>();
  private readonly items: Set<number>[] = [];
  private readonly store: string[] = [];
  private readonly time: number[] = [];
  private readonly invoice: string[] = [];
  private readonly customer: string[] = [];

  /** The code of a product, made on first sight (so two builders can share a dictionary via `codeOf`). */
  codeOf(product: string): number {
    let c = this.codes.get(product);
    if (c === undefined) {
      c = this.products.length;
      this.codes.set(product, c);
      this.products.push(product);
    }
    return c;
  }

  /** The code of a known product, or undefined. */
  knownCode(product: string): number | undefined {
    return this.codes.get(product);
  }

  add(line: TransactionLine): void {
    if (line.quantity <= 0 || line.product === '' || isCancellation(line.invoice)) return;
    let b = this.byInvoice.get(line.invoice);
    if (b === undefined) {
      b = this.items.length;
      this.byInvoice.set(line.invoice, b);
      this.items.push(new Set());
      this.store.push(line.store ?? '');
      this.time.push(line.timeMs);
      this.invoice.push(line.invoice);
      this.customer.push(line.customer);
    }
    (this.items[b] as Set<number>).add(this.codeOf(line.product));
    if (line.timeMs < (this.time[b] as number)) this.time[b] = line.timeMs;
  }

  get size(): number {
    return this.items.length;
  }

  /** The baskets whose index passes `keep` (all by default), in order of first line. */
  table(keep: (basket: number, timeMs: number, store: string) => boolean = () => true): BasketTable {
    const chosen: number[] = [];
    let total = 0;
    for (let b = 0; b < this.items.length; b++)
      if (keep(b, this.time[b] as number, this.store[b] as string)) {
        chosen.push(b);
        total += (this.items[b] as Set<number>).size;
      }
    const items = new Int32Array(total);
    const offsets = new Int32Array(chosen.length + 1);
    let at = 0;
    chosen.forEach((b, i) => {
      for (const c of this.items[b] as Set<number>) items[at++] = c;
      offsets[i + 1] = at;
    });
    return {
      items,
      offsets,
      itemCount: this.products.length,
      products: this.products,
      store: chosen.map((b) => this.store[b] as string),
      timeMs: Float64Array.from(chosen, (b) => this.time[b] as number),
      invoice: chosen.map((b) => this.invoice[b] as string),
      customer: chosen.map((b) => this.customer[b] as string),
    };
  }
}
