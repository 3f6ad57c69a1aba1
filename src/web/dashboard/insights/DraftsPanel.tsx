import type { DraftSummary, ScopeResponse } from '../../../contracts/index.ts';
import { useDrafts } from '../queries.ts';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { DraftCard } from './DraftCard.tsx';

/** Open drafts first, grouped by supplier; the last few decided ones below, for the record. */
function bySupplier(drafts: DraftSummary[]): [string, DraftSummary[]][] {
  const groups = new Map<string, DraftSummary[]>();
  for (const d of drafts) groups.set(d.supplierId, [...(groups.get(d.supplierId) ?? []), d]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function DraftsPanel({ scope }: { scope: ScopeResponse }) {
  const drafts = useDrafts();
  return (
    <Panel title="Draft purchase orders" testId="drafts-panel" focus="drafts" wide>
      <QueryState
        query={drafts}
        isEmpty={(d) => d.length === 0}
        empty="No draft purchase orders. Replenishment drafts them after each forecast run."
      >
        {(all) => {
          const open = all.filter((d) => d.status === 'draft');
          const decided = all.filter((d) => d.status !== 'draft').slice(0, 5);
          return (
            <>
              {open.length === 0 ? (
                <p className="state empty">No open drafts: everything has been decided.</p>
              ) : null}
              {bySupplier(open).map(([supplier, list]) => (
                <section key={supplier} className="supplier" aria-label={`Supplier ${supplier}`}>
                  {list.map((d) => (
                    <DraftCard
                      key={d.id}
                      summary={d}
                      currency={scope.currency}
                      canApprove={scope.canApprove}
                    />
                  ))}
                </section>
              ))}
              <p className="source">
                Source: purchase_drafts and purchase_draft_lines as replenishment wrote them (newest 50, lines
                of your stores only); decisions from purchase_draft_decisions.
              </p>
              {decided.length ? (
                <details className="decided">
                  <summary>Recently decided ({decided.length})</summary>
                  {decided.map((d) => (
                    <DraftCard
                      key={d.id}
                      summary={d}
                      currency={scope.currency}
                      canApprove={scope.canApprove}
                    />
                  ))}
                </details>
              ) : null}
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}
