import { measuredUnitMinor } from '../../pricing/index.ts';
import type { PayloadProblem } from '../../sync/index.ts';
import type { GiftCardSold, SaleCompleted, SaleLine, SaleReturned, SaleVoided } from '../events.ts';

/**
 * What always holds for money documents a real till writes, checked at ingest so a sale whose lines,
 * totals and tenders do not add up never reaches the sales facts. Only what the till's pricing
 * guarantees is asserted (src/pricing/tax-engine.ts, src/sales/checkout.ts, tenders.ts, returns.ts):
 * - every line: net + tax = gross, its tax components add up to its tax, and its list price is
 *   qty × unit price (weighed lines: the pack price rounded once); what is left after discounts is the
 *   net (tax added on top) or the gross (tax included; a tax-exempt customer pays less: the net);
 * - the document's net, tax and gross are the sums of its lines, its discount the sum of theirs;
 * - tenders pay exactly the gross plus cash rounding; only cash gives change (tendered − change =
 *   kept); rounding comes with cash; cards, gift cards and credit never pay more than the total.
 * Inputs are payloads already parsed and bounded, so these sums stay exact.
 */

const sum = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((s, x) => s + f(x), 0);

const problem = (field: string, reason: string): PayloadProblem => ({ field: `payload.${field}`, reason });

function lineProblem(l: SaleLine, i: number, taxInclusive: boolean): PayloadProblem | undefined {
  const at = `lines.${i}`;
  if (l.netMinor + l.taxMinor !== l.grossMinor)
    return problem(
      `${at}.grossMinor`,
      `net ${l.netMinor} + tax ${l.taxMinor} is not the gross ${l.grossMinor}`,
    );
  if (l.tax && l.tax.length > 0 && sum(l.tax, (t) => t.taxMinor) !== l.taxMinor)
    return problem(
      `${at}.tax`,
      `the tax components add up to ${sum(l.tax, (t) => t.taxMinor)}, not ${l.taxMinor}`,
    );
  const unit = l.measure ? measuredUnitMinor(l.measure, l.unitPriceMinor) : l.unitPriceMinor;
  const list = unit * l.qty;
  if (l.listMinor !== undefined && l.listMinor !== list)
    return problem(`${at}.listMinor`, `${l.qty} × ${unit} is ${list}, not ${l.listMinor}`);
  const discounts = l.discounts ? sum(l.discounts, (d) => d.amountMinor) : undefined;
  if (discounts !== undefined && l.discountMinor !== undefined && discounts !== l.discountMinor)
    return problem(
      `${at}.discountMinor`,
      `the line's discounts add up to ${discounts}, not ${l.discountMinor}`,
    );
  const after = list - (l.discountMinor ?? 0);
  if (after < 0)
    return problem(`${at}.discountMinor`, `a discount of ${l.discountMinor} exceeds the line's ${list}`);
  if (!taxInclusive && l.netMinor !== after)
    return problem(`${at}.netMinor`, `after discounts the line is ${after}, not the net ${l.netMinor}`);
  // Inclusive prices: the gross is what is left, unless the customer was exempt and paid the net only.
  if (taxInclusive && l.grossMinor !== after && !(l.taxMinor === 0 && l.grossMinor <= after))
    return problem(`${at}.grossMinor`, `after discounts the line is ${after}, not the gross ${l.grossMinor}`);
  return undefined;
}

function totalsProblem(
  lines: readonly { netMinor: number; taxMinor: number; grossMinor: number }[],
  totals: { netMinor: number; taxMinor: number; grossMinor: number },
  prefix: string,
): PayloadProblem | undefined {
  for (const k of ['netMinor', 'taxMinor', 'grossMinor'] as const) {
    const s = sum(lines, (l) => l[k]);
    if (s !== totals[k]) return problem(`${prefix}${k}`, `the lines add up to ${s}, not ${totals[k]}`);
  }
  return undefined;
}

type AnyTender = SaleCompleted['tenders'][number];

function tendersProblem(
  tenders: readonly AnyTender[],
  due: number,
  rounding: number,
): PayloadProblem | undefined {
  let cash = 0;
  for (const [i, t] of tenders.entries()) {
    if (t.kind !== 'cash') continue;
    cash++;
    if (t.tenderedMinor - t.changeMinor !== t.amountMinor)
      return problem(
        `tenders.${i}.changeMinor`,
        `tendered ${t.tenderedMinor} − change ${t.changeMinor} is not the ${t.amountMinor} kept`,
      );
  }
  if (cash > 1) return problem('tenders', 'cash is given as one tender');
  if (rounding !== 0 && cash === 0) return problem('roundingMinor', 'cash rounding without a cash tender');
  const paid = sum(tenders, (t) => t.amountMinor);
  if (paid !== due + rounding)
    return problem(
      'tenders',
      `tenders pay ${paid}; the total${rounding ? ' with rounding' : ''} is ${due + rounding}`,
    );
  const nonCash = sum(
    tenders.filter((t) => t.kind !== 'cash'),
    (t) => t.amountMinor,
  );
  if (nonCash > due)
    return problem('tenders', `cards and stored value pay ${nonCash}, more than the ${due} due`);
  return undefined;
}

export function saleProblem(s: SaleCompleted): PayloadProblem | undefined {
  for (const [i, l] of s.lines.entries()) {
    const p = lineProblem(l, i, s.taxInclusive);
    if (p) return p;
  }
  const t = totalsProblem(s.lines, s, '');
  if (t) return t;
  if (s.discountMinor !== undefined) {
    const lines = sum(s.lines, (l) => l.discountMinor ?? 0);
    if (lines !== s.discountMinor)
      return problem('discountMinor', `the lines' discounts add up to ${lines}, not ${s.discountMinor}`);
  }
  return tendersProblem(s.tenders, s.grossMinor, s.roundingMinor ?? 0);
}

export function returnProblem(r: SaleReturned): PayloadProblem | undefined {
  for (const [i, l] of r.lines.entries())
    if (l.netMinor + l.taxMinor !== l.grossMinor)
      return problem(
        `lines.${i}.grossMinor`,
        `net ${l.netMinor} + tax ${l.taxMinor} is not the gross ${l.grossMinor}`,
      );
  const t = totalsProblem(r.lines, r.totals, 'totals.');
  if (t) return t;
  const refunded = sum(r.refunds, (x) => x.amountMinor);
  if (refunded > r.totals.grossMinor)
    return problem('refunds', `refunds pay back ${refunded}, more than the ${r.totals.grossMinor} returned`);
  return undefined;
}

export function voidProblem(v: SaleVoided): PayloadProblem | undefined {
  const s = sum(v.lines, (l) => l.grossMinor);
  if (v.lines.length > 0 && s !== v.grossMinor)
    return problem('grossMinor', `the lines add up to ${s}, not ${v.grossMinor}`);
  return undefined;
}

export function giftCardProblem(g: GiftCardSold): PayloadProblem | undefined {
  if (g.balanceMinor < g.amountMinor)
    return problem(
      'balanceMinor',
      `the balance ${g.balanceMinor} is less than the ${g.amountMinor} just put on`,
    );
  return tendersProblem(g.tenders, g.amountMinor, 0);
}
