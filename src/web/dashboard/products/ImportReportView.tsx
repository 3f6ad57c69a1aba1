import type { ImportReport } from '../../../contracts/index.ts';

const show = (v: string | number | null): string => (v === null ? '—' : String(v));

/** The plan a dry run answered (or the one applied): counts, changes before → after, decisions, problems. */
export function ImportReportView({ report: r }: { report: ImportReport }) {
  const changed = r.matched.filter((m) => m.changes.length > 0);
  return (
    <div data-testid="import-report">
      <p data-testid="import-status">
        {r.applied ? 'Applied' : 'Dry run: nothing written'} · new {r.created.length} · matched{' '}
        {r.counts.matched} ({r.counts.changed} changed) · needs decision {r.counts.needsDecision} · problems{' '}
        {r.counts.problems} · stock movements {r.counts.stockMovements}
      </p>
      <p>Tax classes: {r.taxClasses.map((t) => `${t.taxClass} ${t.products}`).join(' · ') || 'none'}</p>
      {r.needsDecision.length > 0 ? (
        <ul data-testid="import-needs-decision">
          {r.needsDecision.map((n) => (
            <li key={n.sku}>
              {n.file} line {n.row} {n.name}: {n.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {changed.length > 0 ? (
        <ul data-testid="import-changes">
          {changed.map((m) => (
            <li key={m.sku}>
              {m.sku} {m.name}:{' '}
              {m.changes.map((c) => `${c.field} ${show(c.before)} → ${show(c.after)}`).join('; ')}
            </li>
          ))}
        </ul>
      ) : null}
      <table data-testid="import-created">
        <tbody>
          {r.created.map((c) => (
            <tr key={c.sku}>
              <td>{c.sku}</td>
              <td>{c.name}</td>
              <td>{c.taxClass ?? '?'}</td>
              <td>
                {c.file} line {c.row}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.problems.length > 0 ? (
        <ul data-testid="import-problems">
          {r.problems.map((p) => (
            <li key={`${p.file}:${p.row}:${p.kind}:${p.message}`}>
              {p.file} line {p.row} {p.product}: {p.kind}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
