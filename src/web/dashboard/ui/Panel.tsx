import type { ReactNode } from 'react';
import type { Source } from '../../../dashboard/contract.ts';
import { sourceText } from './source.ts';

/** A titled card; its caption names the query its numbers come from. */
export function Panel({
  title,
  source,
  actions,
  testId,
  wide,
  children,
}: {
  title: ReactNode;
  source?: Source;
  actions?: ReactNode;
  testId?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      className={`panel${wide ? ' wide' : ''}`}
      data-testid={testId}
      aria-label={typeof title === 'string' ? title : undefined}
    >
      <header className="panel-head">
        <h2>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
      {source ? (
        <p className="source" data-testid="source">
          {sourceText(source)}
        </p>
      ) : null}
    </section>
  );
}
