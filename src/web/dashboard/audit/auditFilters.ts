/**
 * The audit panel's filters as the API's query string, and how one entry reads in a row. Pure, so
 * the wording is tested without a browser.
 */
export interface AuditFilters {
  user: string;
  store: string;
  action: string;
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { user: '', store: '', action: '', from: '', to: '' };

/** The action families a manager picks from; any dotted action also works typed in the API. */
export const ACTION_FAMILIES = [
  { value: '', label: 'All actions' },
  { value: 'auth', label: 'Sign-ins' },
  { value: 'catalog', label: 'Catalog and prices' },
  { value: 'inventory', label: 'Stock' },
  { value: 'purchase_order', label: 'Purchase orders' },
  { value: 'device', label: 'Tills' },
  { value: 'audit', label: 'Audit exports' },
] as const;

/** The filters that are set, trimmed, as query parameters (the API takes the same names). */
export function filterParams(f: AuditFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v.trim()) out[k] = v.trim();
  return out;
}

/** A short, readable account of a change: "priceMinor 349 → 379", or the fields that changed. */
export function describeChange(before: unknown, after: unknown): string {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  if (isObj(before) && isObj(after)) {
    const differs = (k: string) => JSON.stringify(before[k]) !== JSON.stringify(after[k]);
    const all = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(differs);
    // Fields that moved say more than fields the entry merely adds (who decided, a total).
    const moved = all.filter((k) => k in before && k in after);
    const keys = moved.length > 0 ? moved : all;
    if (keys.length === 0) return 'no change';
    return keys
      .slice(0, 3)
      .map(
        (k) =>
          `${k} ${before[k] === undefined ? '—' : show(before[k])} → ${after[k] === undefined ? '—' : show(after[k])}`,
      )
      .join('; ')
      .concat(keys.length > 3 ? ` (+${keys.length - 3} more)` : '');
  }
  if (after !== null && after !== undefined)
    return before === null || before === undefined
      ? `new: ${show(after)}`
      : `${show(before)} → ${show(after)}`;
  return '';
}

export const clip = (s: string, max = 120): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
