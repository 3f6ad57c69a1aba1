import { useState } from 'react';
import type { DraftSummary } from '../../../contracts/index.ts';
import { ApiError } from '../api.ts';
import { formatMoney, formatTime } from '../format.ts';
import { useDraft } from '../queries.ts';
import { FieldError, QueryState } from '../ui/QueryState.tsx';
import { DraftLine } from './DraftLine.tsx';
import { useDraftActions } from './useDraftActions.ts';

/** A refusal in plain words: a 403 says the user may not do this, rather than an error code. */
function plain(err: ApiError | null): ApiError | null {
  if (err?.status !== 403) return err;
  return new ApiError(403, err.code, `You are not allowed to do this: ${err.message}`, err.field);
}

/** One supplier's draft order: its lines and reasons, approve / reject, and who decided when. */
export function DraftCard({
  summary,
  currency,
  canApprove,
}: {
  summary: DraftSummary;
  currency: string;
  canApprove: boolean;
}) {
  const draft = useDraft(summary.id);
  const { approve, reject, edit } = useDraftActions(summary.id);
  const [lineInError, setLineInError] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const open =
    summary.status === 'draft' && draft.data?.status !== 'approved' && draft.data?.status !== 'rejected';
  const editable = canApprove && open;
  const decisionError = plain(approve.error ?? reject.error);
  const busy = approve.isPending || reject.isPending || edit.isPending;
  const status = draft.data?.status ?? summary.status;
  return (
    <article className={`draft ${status}`} data-testid="draft" data-draft={summary.id} data-status={status}>
      <header className="draft-head">
        <h3>
          {summary.supplierId} <span className={`status ${status}`}>{status}</span>
        </h3>
        <span className="muted">
          {summary.lines} line{summary.lines === 1 ? '' : 's'} ·{' '}
          <strong
            title={`Sum of qty × unit cost over the lines of draft ${summary.id} (run ${summary.runId})`}
          >
            {formatMoney(draft.data?.totalMinor ?? summary.totalMinor, currency)}
          </strong>{' '}
          · drafted {formatTime(summary.createdAt)}
        </span>
      </header>
      <QueryState query={draft}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Store</th>
                    <th scope="col">Product</th>
                    <th scope="col" className="num">
                      Qty
                    </th>
                    <th scope="col" className="num">
                      At cost
                    </th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {d.lineItems.map((l) => (
                    <DraftLine
                      key={l.lineNo}
                      draftId={d.id}
                      line={l}
                      currency={currency}
                      editable={editable}
                      saving={edit.isPending && lineInError === l.lineNo}
                      error={lineInError === l.lineNo ? plain(edit.error) : null}
                      onSave={(qty) => {
                        setLineInError(l.lineNo);
                        edit.mutate({ lineNo: l.lineNo, qty });
                      }}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {d.decisions.length ? (
              <ul className="decisions" data-testid="decisions">
                {d.decisions.map((x) => (
                  <li key={`${x.at}-${x.action}`}>
                    {x.action} by <strong>{x.actor}</strong> at {formatTime(x.at)}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </QueryState>
      {open ? (
        canApprove ? (
          <div className="draft-actions">
            <button type="button" className="btn primary" disabled={busy} onClick={() => approve.mutate()}>
              Approve
            </button>
            <label className="sr-only" htmlFor={`reject-${summary.id}`}>
              Reason for rejecting
            </label>
            <input
              id={`reject-${summary.id}`}
              className="reason-input"
              placeholder="Reason (optional)"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <button
              type="button"
              className="btn danger"
              disabled={busy}
              onClick={() => reject.mutate(reason.trim())}
            >
              Reject
            </button>
          </div>
        ) : (
          <p className="muted">Store managers and above approve orders; you can read them.</p>
        )
      ) : null}
      <FieldError error={decisionError} />
    </article>
  );
}
