import type { DraftSummary, ScopeResponse } from '../../../contracts/index.ts';
import { formatCount } from '../format.ts';
import { useDrafts } from '../queries.ts';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { DraftCard } from './DraftCard.tsx';

/** Open drafts shown at most; the API says how many there are beyond them. */
const OPEN_SHOWN = 50;
/** Decided drafts kept below the open ones, for the record. */
const DECIDED_SHOWN = 5;

/** Open drafts first, grouped by supplier; the last few decided ones below, for the record. */
function bySupplier(drafts: DraftSummary[]): [string, DraftSummary[]][] {
  const groups = new Map<string, DraftSummary[]>();
  for (const d of drafts) groups.set(d.supplierId, [...(groups.get(d.supplierId) ?? []), d]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function DraftsPanel({ scope }: { scope: ScopeResponse }) {
  const open = useDrafts('draft', OPEN_SHOWN);
  // Newest of every status: enough to hold the few decided ones even behind a page of open drafts.
  const recent = useDrafts(undefined, OPEN_SHOWN + DECIDED_SHOWN);
  const card = (d: DraftSummary) => (
    <DraftCard key={d.id} summary={d} currency={scope.currency} canApprove={scope.canApprove} />
  );
  return (
    <Panel title="Draft purchase orders" testId="drafts-panel" focus="drafts" wide>
      <QueryState
        query={open}
        isEmpty={(d) => d.total === 0 && (recent.data?.total ?? 0) === 0}
        empty="No draft purchase orders. Replenishment drafts them after each forecast run."
      >
        {(page) => {
          const decided = (recent.data?.drafts ?? [])
            .filter((d) => d.status !== 'draft')
            .slice(0, DECIDED_SHOWN);
          const decidedTotal = recent.data ? recent.data.total - page.total : decided.length;
          return (
            <>
              {page.total === 0 ? (
                <p className="state empty">No open drafts: everything has been decided.</p>
              ) : (
                <p className="muted" data-testid="drafts-count">
                  {page.truncated
                    ? `Showing the newest ${formatCount(page.drafts.length)} of ${formatCount(page.total)} open drafts.`
                    : `${formatCount(page.total)} open draft${page.total === 1 ? '' : 's'}.`}
                </p>
              )}
              {bySupplier(page.drafts).map(([supplier, list]) => (
                <section key={supplier} className="supplier" aria-label={`Supplier ${supplier}`}>
                  {list.map(card)}
                </section>
              ))}
              <p className="source">
                Source: purchase_drafts and purchase_draft_lines as replenishment wrote them (open drafts
                newest first, the first {OPEN_SHOWN}; lines of your stores only); decisions from
                purchase_draft_decisions.
              </p>
              {decided.length ? (
                <details className="decided">
                  <summary>
                    Recently decided: the newest {decided.length} of {formatCount(decidedTotal)}
                  </summary>
                  {decided.map(card)}
                </details>
              ) : null}
            </>
          );
        }}
      </QueryState>
    </Panel>
  );
}
