import { parseMinor } from '../../../core/money.ts';

/** Minor units from what a person types ("2.99", "2,99", "3"); undefined when it is no amount. */
export function parseAmountText(text: string, currency: string): number | undefined {
  const t = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d*)?$/.test(t)) return undefined;
  try {
    return parseMinor(t.endsWith('.') ? t.slice(0, -1) : t, currency, 'amount');
  } catch {
    return undefined;
  }
}
