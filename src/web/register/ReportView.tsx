import type { ShiftReport } from '../../contracts/index.ts';
import { formatRate } from './amount-input.ts';
import { useFormat } from './format-context.tsx';

/** An X or Z report laid out like the printed one: sales, tax by rate, tenders, drawer. */
export function ReportView({ report }: { report: ShiftReport }) {
  const fmt = useFormat();
  const m = (v: number) => fmt.money(v, report.currency);
  const c = report.cash;
  return (
    <div className="report" data-testid={`${report.kind.toLowerCase()}-report`}>
      <h3>
        {report.kind === 'Z' ? `Z report #${report.zNumber}` : 'X report (shift so far)'}
        <span className="muted">
          {' '}
          · {report.cashierId} · {fmt.dateTime(report.openedAt)} – {fmt.time(report.asOf)}
        </span>
      </h3>
      <table>
        <tbody>
          <Row label={`Sales (${report.sales.count})`} value={m(report.sales.grossMinor)} strong />
          <Row label="Net" value={m(report.sales.netMinor)} />
          <Row label="Tax" value={m(report.sales.taxMinor)} />
          {report.taxByRate.map((r) => (
            <Row
              key={r.taxRateBp}
              label={`  Tax ${formatRate(r.taxRateBp)} on ${m(r.netMinor)}`}
              value={m(r.taxMinor)}
              sub
            />
          ))}
          <Row label={`Discounts (${report.discounts.count})`} value={m(report.discounts.totalMinor)} />
          <Row label={`Returns (${report.returns.count})`} value={m(report.returns.totalMinor)} />
          <Row label={`Voids (${report.voids.count})`} value={m(report.voids.totalMinor)} />
          <Row label={`No-sale drawer opens`} value={String(report.noSales.count)} />
          <tr className="section">
            <th colSpan={2}>Tenders</th>
          </tr>
          {report.tenders.map((t) => (
            <Row key={t.kind} label={`${t.kind.replace('_', ' ')} (${t.count})`} value={m(t.amountMinor)} />
          ))}
          <tr className="section">
            <th colSpan={2}>Cash drawer</th>
          </tr>
          <Row label="Opening float" value={m(c.openingFloatMinor)} />
          <Row label="Cash sales" value={m(c.cashSalesMinor)} />
          <Row label="Cash refunds" value={`−${m(c.cashRefundsMinor)}`} />
          <Row label="Cash drops" value={`−${m(c.cashDropsMinor)}`} />
          <Row label="Paid out" value={`−${m(c.paidOutsMinor)}`} />
          <Row label="Expected in drawer" value={m(c.expectedMinor)} strong />
          {c.countedMinor !== undefined ? <Row label="Counted" value={m(c.countedMinor)} strong /> : null}
          {c.differenceMinor !== undefined ? (
            <tr
              className={`difference ${c.differenceMinor < 0 ? 'short' : c.differenceMinor > 0 ? 'over' : ''}`}
            >
              <th>{c.differenceMinor < 0 ? 'Short' : c.differenceMinor > 0 ? 'Over' : 'Difference'}</th>
              <td data-testid="difference">{m(c.differenceMinor)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function Row({
  label,
  value,
  strong,
  sub,
}: {
  label: string;
  value: string;
  strong?: boolean;
  sub?: boolean;
}) {
  return (
    <tr className={strong ? 'strong' : sub ? 'sub' : ''}>
      <th>{label}</th>
      <td>{value}</td>
    </tr>
  );
}
