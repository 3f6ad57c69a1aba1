import { type FormEvent, useState } from 'react';
import type { AuditEntryView, ScopeResponse } from '../../../contracts/index.ts';
import { qs } from '../api.ts';
import { formatTime } from '../format.ts';
import { PATHS, useAuditLog } from '../queries.ts';
import { Panel } from '../ui/Panel.tsx';
import { ErrorNote } from '../ui/QueryState.tsx';
import {
  ACTION_FAMILIES,
  type AuditFilters,
  clip,
  describeChange,
  filterParams,
  NO_FILTERS,
} from './auditFilters.ts';

/** Managers and head office read the audit log (the API refuses everyone else). */
export const mayReadAudit = (scope: ScopeResponse): boolean =>
  ['admin', 'district_manager', 'store_manager'].includes(scope.user.role);

function AuditRow({ e }: { e: AuditEntryView }) {
  const change = describeChange(e.before, e.after);
  return (
    <tr data-testid="audit-row" className={e.outcome === 'refused' ? 'refused' : undefined}>
      <td title={e.at}>{formatTime(e.at)}</td>
      <td>{e.actorId}</td>
      <td>
        <code>{e.action}</code>
        {e.outcome === 'refused' ? <strong className="neg"> refused</strong> : null}
      </td>
      <td>{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : ''}</td>
      <td>{e.storeId ?? ''}</td>
      <td title={change}>
        {clip(change)}
        {e.reason ? <span className="muted"> ({clip(e.reason, 60)})</span> : null}
      </td>
    </tr>
  );
}

/**
 * Who changed what, newest first: filters by person, store, kind of action and days, a page at a
 * time, and the same filters as a CSV download (an export HQ itself records in the log).
 */
export function AuditPanel({ scope }: { scope: ScopeResponse }) {
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
  const log = useAuditLog(filterParams(applied));
  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <Panel
      title="Audit log"
      testId="audit-panel"
      focus="audit"
      wide
      actions={
        <a
          className="btn small"
          href={`${PATHS.auditCsv}${qs(filterParams(applied))}`}
          download
          data-testid="audit-csv"
        >
          Export CSV
        </a>
      }
    >
      <form className="audit-filters" onSubmit={submit} aria-label="Audit log filters">
        <label className="picker">
          <span className="picker-label">User</span>
          <input value={draft.user} onChange={set('user')} placeholder="username" maxLength={200} />
        </label>
        <label className="picker">
          <span className="picker-label">Store</span>
          <select value={draft.store} onChange={set('store')}>
            <option value="">{scope.user.stores === 'all' ? 'All stores' : 'All my stores'}</option>
            {scope.stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="picker">
          <span className="picker-label">Action</span>
          <select value={draft.action} onChange={set('action')}>
            {ACTION_FAMILIES.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="picker">
          <span className="picker-label">From</span>
          <input type="date" value={draft.from} onChange={set('from')} />
        </label>
        <label className="picker">
          <span className="picker-label">To</span>
          <input type="date" value={draft.to} onChange={set('to')} />
        </label>
        <button type="submit" className="btn small primary">
          Show
        </button>
      </form>
      {log.isPending ? (
        <div className="state loading" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" /> Loading…
        </div>
      ) : log.isError ? (
        <ErrorNote error={log.error} />
      ) : entries.length === 0 ? (
        <p className="state empty" data-testid="audit-empty">
          Nothing recorded for these filters.
        </p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="audit-table">
              <caption className="sr-only">Audit log entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">What</th>
                  <th scope="col">Store</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <AuditRow key={e.seq} e={e} />
                ))}
              </tbody>
            </table>
          </div>
          {log.hasNextPage ? (
            <button
              type="button"
              className="btn small ghost"
              onClick={() => log.fetchNextPage()}
              disabled={log.isFetchingNextPage}
            >
              {log.isFetchingNextPage ? 'Loading…' : 'Older entries'}
            </button>
          ) : null}
        </>
      )}
    </Panel>
  );
}
