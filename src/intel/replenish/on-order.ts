/**
 * What is on order, as plain data: the units of approved purchase orders not yet delivered, and how a
 * supplier delivery fills the open order lines. Kept apart from the database (on-order-store.ts) so the
 * rule — a unit is counted once, as on order until it arrives and then as on hand — is tested alone.
 */
export interface OpenOrderLine {
  draftId: string;
  lineNo: number;
  storeId: string;
  sku: string;
  qty: number;
  receivedQty: number;
  /** When the order was approved (ms): a delivery that arrived before it cannot be for it. */
  approvedAt: number;
}

export interface Delivery {
  eventId: string;
  storeId: string;
  sku: string;
  /** Units of this delivery not yet matched to an order line. */
  qty: number;
  /** When HQ received it (ms). */
  at: number;
  /** The supplier's or the store's reference; when it is an order's id, that order is filled first. */
  reference?: string | undefined;
}

export interface Allocation {
  eventId: string;
  draftId: string;
  lineNo: number;
  qty: number;
}

const outstanding = (l: OpenOrderLine): number => Math.max(0, l.qty - l.receivedQty);

/**
 * Matches deliveries to open lines of the same store and SKU: the order a delivery names first, then
 * the oldest approved. Units beyond what is on order are stock that was not ordered here (a delivery
 * keyed without an order), and fill nothing. Returns the matches; `lines` is not changed.
 */
export function allocateDeliveries(
  lines: readonly OpenOrderLine[],
  deliveries: readonly Delivery[],
): Allocation[] {
  const left = new Map(lines.map((l) => [`${l.draftId}#${l.lineNo}`, outstanding(l)]));
  const byItem = new Map<string, OpenOrderLine[]>();
  for (const l of lines) {
    const k = `${l.storeId}|${l.sku}`;
    const list = byItem.get(k);
    if (list) list.push(l);
    else byItem.set(k, [l]);
  }
  for (const list of byItem.values())
    list.sort(
      (a, b) => a.approvedAt - b.approvedAt || (a.draftId < b.draftId ? -1 : 1) || a.lineNo - b.lineNo,
    );
  const out: Allocation[] = [];
  for (const d of [...deliveries].sort((a, b) => a.at - b.at || (a.eventId < b.eventId ? -1 : 1))) {
    const candidates = (byItem.get(`${d.storeId}|${d.sku}`) ?? []).filter((l) => l.approvedAt <= d.at);
    const named = candidates.filter((l) => l.draftId === d.reference);
    let units = d.qty;
    for (const l of [...named, ...candidates.filter((c) => c.draftId !== d.reference)]) {
      if (units <= 0) break;
      const key = `${l.draftId}#${l.lineNo}`;
      const take = Math.min(units, left.get(key) ?? 0);
      if (take <= 0) continue;
      left.set(key, (left.get(key) ?? 0) - take);
      units -= take;
      out.push({ eventId: d.eventId, draftId: l.draftId, lineNo: l.lineNo, qty: take });
    }
  }
  return out;
}

/** Units still to arrive per `storeId|sku`. */
export function onOrderByItem(
  lines: readonly { storeId: string; sku: string; qty: number; receivedQty: number }[],
) {
  const by = new Map<string, number>();
  for (const l of lines) {
    const n = Math.max(0, l.qty - l.receivedQty);
    if (n > 0) by.set(`${l.storeId}|${l.sku}`, (by.get(`${l.storeId}|${l.sku}`) ?? 0) + n);
  }
  return by;
}
