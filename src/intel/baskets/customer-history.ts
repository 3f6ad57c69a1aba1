/**
 * The customer's own earlier baskets as votes: a product they bought in n of their N baskets gets the
 * vote n / (N + k), so a regular's staples come back as suggestions and a one-off purchase hardly does.
 * Online Retail's customers are mostly wholesalers who reorder; a till that knows the customer can too.
 */
import type { BasketTable } from './basket-builder.ts';

export class CustomerHistory {
  private readonly baskets = new Map<string, number>();
  private readonly products = new Map<string, Map<number, number>>();
  private readonly votes = new Map<string, Map<number, number>>();

  constructor(
    train: BasketTable,
    private readonly shrink = 2,
    private readonly scale = 1,
  ) {
    for (let b = 0; b < train.offsets.length - 1; b++) {
      const c = train.customer[b] as string;
      if (c === '') continue;
      this.baskets.set(c, (this.baskets.get(c) ?? 0) + 1);
      let m = this.products.get(c);
      if (!m) {
        m = new Map();
        this.products.set(c, m);
      }
      for (let i = train.offsets[b] as number; i < (train.offsets[b + 1] as number); i++) {
        const y = train.items[i] as number;
        m.set(y, (m.get(y) ?? 0) + 1);
      }
    }
  }

  /** Votes for the products the customer bought before; undefined for a guest or a new customer. */
  votesFor(customer: string): ReadonlyMap<number, number> | undefined {
    if (customer === '') return undefined;
    let v = this.votes.get(customer);
    if (!v) {
      const m = this.products.get(customer);
      if (!m) return undefined;
      const n = this.baskets.get(customer) as number;
      v = new Map([...m].map(([y, k]) => [y, (this.scale * k) / (n + this.shrink)]));
      this.votes.set(customer, v);
    }
    return v;
  }
}
