import type { ReactNode } from 'react';

export interface Column<R> {
  label: string;
  /** Right-aligned, tabular figures. */
  num?: boolean;
  /** The tooltip on each cell: where the figure comes from. */
  title?: string;
  cell: (row: R) => ReactNode;
}

/** A plain table; an empty list says so in words rather than showing a bare header. */
export function DataTable<R>({
  rows,
  columns,
  rowKey,
  empty,
  caption,
  testId,
}: {
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey: (row: R) => string;
  empty: string;
  caption: string;
  testId?: string;
}) {
  if (rows.length === 0)
    return (
      <p className="state empty" data-testid={testId ? `${testId}-empty` : 'empty'}>
        {empty}
      </p>
    );
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.label} className={c.num ? 'num' : undefined} title={c.title}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
