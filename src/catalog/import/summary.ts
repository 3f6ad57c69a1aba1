import { formatDecimal } from '../../core/index.ts';
import type { ImportPlan } from './consolidate.ts';

/**
 * The plan as an operator reads it: counts first, then every merge, review pair, rejection, price
 * conflict and missing cost with its file and row. Long lists stop at `limit` lines each; the JSON
 * report (--report) holds them all.
 */
export function formatSummary(
  plan: ImportPlan,
  opts: { applied: boolean; decimals: number; limit: number },
): string {
  const m = (x: number) => formatDecimal(x, opts.decimals);
  const out: string[] = [];
  out.push(
    opts.applied ? 'Import written to HQ' : 'Import plan (dry run: nothing written; add --apply to write)',
  );
  for (const f of plan.files) out.push(`  ${f.file}: ${f.format}, ${f.rows} rows, ${f.records} items`);
  const rejectedRows = plan.rejected.length;
  out.push(
    `created ${plan.created} · updated ${plan.updated} · merged ${plan.merged.length} · for review ${plan.review.length}` +
      ` · rejected ${rejectedRows} row${rejectedRows === 1 ? '' : 's'} and ${plan.rejectedIdentifiers.length} identifier${plan.rejectedIdentifiers.length === 1 ? '' : 's'}` +
      ` · price conflicts ${plan.priceConflicts.length} · missing cost ${plan.missingCost.length}`,
  );
  const section = <T>(title: string, items: readonly T[], line: (t: T) => string): void => {
    if (items.length === 0) return;
    out.push('', `${title} (${items.length})`);
    for (const t of items.slice(0, opts.limit)) out.push(`  ${line(t)}`);
    if (items.length > opts.limit) out.push(`  … and ${items.length - opts.limit} more (see --report)`);
  };
  section('merged', plan.merged, (g) => {
    const how = g.by === 'name' ? `by name, ${Math.round((g.score ?? 0) * 100)} % alike` : `by ${g.by}`;
    return `${g.file} row ${g.row} (${g.legacyId}) → ${g.sku} "${g.name}", ${how}`;
  });
  section('for review (skipped ones are not written; --review merge|create decides)', plan.review, (r) => {
    const a = r.record;
    const c = r.candidate;
    return (
      `[${r.resolution}] ${r.reason}:\n` +
      `      ${a.file} row ${a.row}: "${a.name}" ${m(a.priceMinor ?? 0)} [${a.identifiers.join(', ') || 'no barcode'}] sku ${a.sku ?? '-'}\n` +
      `      ${c.file} row ${c.row}: "${c.name}" ${m(c.priceMinor)} [${c.identifiers.join(', ') || 'no barcode'}] sku ${c.sku}`
    );
  });
  section(
    'rejected rows',
    plan.rejected,
    (r) => `${r.file} row ${r.row} "${r.product}": ${r.reasons.join('; ')}`,
  );
  section(
    'rejected identifiers (the product is kept without them)',
    plan.rejectedIdentifiers,
    (r) => `${r.file} row ${r.row} "${r.product}": ${r.code}: ${r.reason}`,
  );
  section(
    'conflicting prices (the first file wins)',
    plan.priceConflicts,
    (c) =>
      `${c.sku} "${c.name}": ${c.prices.map((p) => `${m(p.priceMinor)} (${p.file} row ${p.row})`).join(' vs ')}`,
  );
  section(
    'price changes to products HQ holds (kept in the price history)',
    plan.priceChanges,
    (c) => `${c.sku} "${c.name}": ${m(c.fromMinor)} → ${m(c.toMinor)}`,
  );
  section('missing cost', plan.missingCost, (c) => `${c.sku} "${c.name}" (${c.file} row ${c.row})`);
  section(
    'SKUs already taken, renamed',
    plan.renamedSkus,
    (s) => `${s.file} row ${s.row}: ${s.given} → ${s.sku}`,
  );
  return out.join('\n');
}
