/**
 * Invoice lines folded into one compact history per customer: an invoice becomes one dated net value, and
 * each product keeps the day it was first bought. Every model here reads these histories at a cutoff, so
 * one in-memory shape serves the file CLI, the evaluation and (later) HQ's own sales.
 */

const DAY_MS = 86_400_000;

/** One invoice line as the file contract and the library API take it. */
export interface TransactionLine {
  invoice: string;
  /** Milliseconds since the epoch (UTC; a time without a zone is read as UTC). */
  timeMs: number;
  /** Empty: a guest line, ignored for scoring. */
  customer: string;
  product: string;
  quantity: number;
  unitPrice: number;
  store?: string;
}

/** One invoice of one customer: its day (fractional, UTC days since the epoch) and net value. */
export interface Invoice {
  day: number;
  value: number;
  cancel: boolean;
  lines: number;
  /** Codes of the products bought on it (positive quantities of a purchase), each once. */
  products: number[];
}

export interface CustomerHistory {
  customer: string;
  /** Sorted by day. */
  invoices: Invoice[];
  /** The first day each distinct product was bought (not cancelled), sorted. */
  productFirstDays: Float64Array;
  /** The store (or country) of most of the customer's lines; '' when the file has no store column. */
  store: string;
}

export const dayOfMs = (ms: number): number => ms / DAY_MS;

/** A cancellation: an invoice number starting with C (its quantities are negative). */
export const isCancellation = (invoice: string): boolean => invoice.startsWith('C');

interface Building {
  invoices: Map<string, Invoice>;
  productFirst: Map<string, number>;
  stores: Map<string, number>;
}

/** Collects lines in any order; `histories()` returns the customers sorted by id (deterministic). */
export class HistoryBuilder {
  private readonly byCustomer = new Map<string, Building>();
  /** Product ids to small integer codes, in order of first sight (same file, same codes). */
  private readonly productCodes = new Map<string, number>();
  minDay = Number.POSITIVE_INFINITY;
  maxDay = Number.NEGATIVE_INFINITY;

  add(line: TransactionLine): void {
    if (line.customer === '') return;
    const day = dayOfMs(line.timeMs);
    if (day < this.minDay) this.minDay = day;
    if (day > this.maxDay) this.maxDay = day;
    let b = this.byCustomer.get(line.customer);
    if (!b) {
      b = { invoices: new Map(), productFirst: new Map(), stores: new Map() };
      this.byCustomer.set(line.customer, b);
    }
    const cancel = isCancellation(line.invoice);
    let inv = b.invoices.get(line.invoice);
    if (!inv) {
      inv = { day, value: 0, cancel, lines: 0, products: [] };
      b.invoices.set(line.invoice, inv);
    }
    // An invoice's lines share a time in practice; keep the earliest so the invoice counts once, early.
    if (day < inv.day) inv.day = day;
    inv.value += line.quantity * line.unitPrice;
    inv.lines++;
    const store = line.store ?? '';
    b.stores.set(store, (b.stores.get(store) ?? 0) + 1);
    if (!cancel && line.quantity > 0) {
      let code = this.productCodes.get(line.product);
      if (code === undefined) {
        code = this.productCodes.size;
        this.productCodes.set(line.product, code);
      }
      inv.products.push(code);
      const first = b.productFirst.get(line.product);
      if (first === undefined || day < first) b.productFirst.set(line.product, day);
    }
  }

  get customerCount(): number {
    return this.byCustomer.size;
  }

  histories(): CustomerHistory[] {
    const ids = [...this.byCustomer.keys()].sort();
    return ids.map((customer) => {
      const b = this.byCustomer.get(customer) as Building;
      const invoices = [...b.invoices.values()].sort((x, y) => x.day - y.day || x.value - y.value);
      for (const inv of invoices) inv.products = [...new Set(inv.products)];
      const productFirstDays = Float64Array.from(b.productFirst.values()).sort();
      let store = '';
      let most = -1;
      for (const [s, n] of b.stores) if (n > most || (n === most && s < store)) [store, most] = [s, n];
      return { customer, invoices, productFirstDays, store };
    });
  }
}

export function buildHistories(lines: Iterable<TransactionLine>): CustomerHistory[] {
  const b = new HistoryBuilder();
  for (const l of lines) b.add(l);
  return b.histories();
}
