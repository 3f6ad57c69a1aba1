import type { ImportReport } from '../../contracts/index.ts';
import { formatDecimal } from '../../core/index.ts';

/**
 * The import report as the CLI prints it, the same whether it was planned here or by HQ's API:
 * counts, then every new product with its tax class, every field change on a held product (before →
 * after), the stock it sets, what needs a decision and every problem with its file and line.
 */
export function formatImportReport(r: ImportReport, opts: { decimals: number; limit: number }): string {
  const m = (x: number) => formatDecimal(x, opts.decimals);
  const show = (v: string | number | null, field: string) =>
    v === null
      ? '(none)'
      : typeof v === 'number' && (field === 'price' || field === 'cost')
        ? m(v)
        : `"${v}"`;
  const out: string[] = [
    r.applied ? 'Import written to HQ' : 'Import plan (dry run: nothing written; add --apply to write)',
  ];
  for (const f of r.files) out.push(`  ${f.file}: ${f.format}, ${f.rows} rows, ${f.records} items`);
  const c = r.counts;
  out.push(
    `new ${c.created} · matched ${c.matched} (${c.changed} changed) · merged ${c.merged} · for review ${c.review}` +
      ` · needs a tax decision ${c.needsDecision} · problems ${c.problems} · stock movements ${c.stockMovements}`,
    `fields updated on matches: ${r.update.length > 0 ? r.update.join(', ') : 'none (existing products are kept as they are; --update to change)'}`,
    `tax classes of new products: ${r.taxClasses.map((t) => `${t.taxClass} ${t.products}`).join(' · ') || 'none decided'}`,
    `plan ${r.planId}`,
  );
  const section = <T>(title: string, items: readonly T[], line: (t: T) => string): void => {
    if (items.length === 0) return;
    out.push('', `${title} (${items.length})`);
    for (const t of items.slice(0, opts.limit)) out.push(`  ${line(t)}`);
    if (items.length > opts.limit) out.push(`  … and ${items.length - opts.limit} more (see --report)`);
  };
  section(
    'needs a decision (not written until decided)',
    r.needsDecision,
    (n) => `${n.file} row ${n.row} ${n.sku} "${n.name}": ${n.reason}`,
  );
  section(
    'changes to products HQ holds',
    r.matched.filter((x) => x.changes.length > 0),
    (x) =>
      `${x.sku} "${x.name}" (${x.file} row ${x.row}): ${x.changes.map((ch) => `${ch.field} ${show(ch.before, ch.field)} → ${show(ch.after, ch.field)}`).join('; ')}`,
  );
  if (c.matched > c.changed) out.push('', `kept as they are: ${c.matched - c.changed} matched products`);
  if (c.stockKept > 0)
    out.push(
      `stock kept: ${c.stockKept} matched products' stock is not touched (add stock to --update to set it)`,
    );
  section(
    'new products',
    r.created,
    (x) =>
      `${x.sku} "${x.name}" ${m(x.priceMinor)} · tax ${x.taxClass ?? '?'}${x.taxRateBp !== null ? ` (${x.taxRateBp / 100} %)` : ''}${x.taxBy ? ` by ${x.taxBy}` : ''} (${x.file} row ${x.row})`,
  );
  section(
    'stock to set',
    r.stock,
    (s) =>
      `${s.storeId} ${s.sku}: ${s.onHand} → ${s.target} (${s.kind.replace('_', ' ')}) from ${s.location}, ${s.file} row ${s.row}`,
  );
  for (const u of r.stockUnmapped)
    out.push(
      `  location "${u.location}" matches no store (${u.skus} SKUs, ${u.units} units skipped): add --location "${u.location}=<store id>"`,
    );
  section(
    'for review (skipped ones are not written; --review merge|create decides)',
    r.review,
    (x) => `[${x.resolution}] ${x.file} row ${x.row} "${x.name}" vs ${x.candidateSku}: ${x.reason}`,
  );
  section('problems', r.problems, (p) => `${p.file} row ${p.row} "${p.product}": ${p.kind}: ${p.message}`);
  return out.join('\n');
}
