import type { ReactNode } from 'react';
import type { Source } from '../../../contracts/index.ts';
import { sourceText } from './source.ts';

/** A titled card; its caption names the query its numbers come from. */
export function Panel({
  title,
  source,
  actions,
  testId,
  focus,
  wide,
  children,
}: {
  title: ReactNode;
  source?: Source;
  actions?: ReactNode;
  testId?: string;
  /** The name a link uses to scroll here ("#/ops/tills" → "tills"). */
  focus?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      className={`panel${wide ? ' wide' : ''}`}
      data-testid={testId}
      data-focus={focus}
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
