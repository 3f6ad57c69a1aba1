/**
 * How much of a line's promotion discount a return takes back: in proportion to the units returned,
 * rounded down as the units come back, so that however a line is returned (at once, or in several
 * returns) the discount taken back never passes what was given and adds up to exactly that once every
 * unit is back. Pure: the panel's facts (promotion-facts.ts) apply it per line and promotion.
 */
export function returnedDiscountShare(
  line: { qty: number; discountMinor: number; returnedQty: number; returnedDiscountMinor: number },
  returningQty: number,
): { qty: number; discountMinor: number } {
  const qty = Math.max(0, Math.min(returningQty, line.qty - line.returnedQty));
  if (qty === 0 || line.qty <= 0) return { qty: 0, discountMinor: 0 };
  const after = line.returnedQty + qty;
  const takenAfter =
    after >= line.qty ? line.discountMinor : Math.floor((line.discountMinor * after) / line.qty);
  return { qty, discountMinor: takenAfter - line.returnedDiscountMinor };
}
