import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { StoreFormat, TerminalListEntry } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { errorFor } from '../people/grants.ts';
import { terminalPath, useTerminals } from '../queries.ts';
import { FieldError, QueryState } from '../ui/QueryState.tsx';
import { EnrollCode } from './EnrollCode.tsx';

/** Revoking is final (the till must be enrolled afresh), so it asks for a reason and a second click. */
function RevokeTill({ till, onClose }: { till: TerminalListEntry; onClose: () => void }) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const revoke = useMutation<unknown, ApiError>({
    mutationFn: () => call('POST', terminalPath(till.terminalId, '/revoke'), { reason }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['terminals', till.storeId] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    revoke.mutate();
  };
  const err = errorFor(revoke.error, 'reason');
  return (
    <form onSubmit={submit} aria-label={`Revoke ${till.terminalId}`} data-testid="revoke-confirm">
      <p>
        Revoke <strong>{till.terminalId}</strong>? Every call it makes is refused from now on; its unsent
        sales stay in its ledger. This cannot be undone: the machine must be enrolled afresh.
      </p>
      <label className="field">
        <span>Reason</span>
        <input
          id={`revoke-${till.terminalId}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="reported stolen"
          aria-invalid={err ? true : undefined}
          required
        />
        <FieldError error={err} />
      </label>
      {revoke.error && !err ? <FieldError error={revoke.error} /> : null}
      <button type="submit" className="btn small danger" disabled={revoke.isPending}>
        Revoke {till.terminalId}
      </button>{' '}
      <button type="button" className="btn small ghost" onClick={onClose}>
        Cancel
      </button>
    </form>
  );
}

/** A store's tills: when each was last seen and rotated, revoked or not; enroll one, revoke one. */
/** `format`: the store's own (its locale and clock), as its tills and receipts write times. */
export function StoreTills({ storeId, format }: { storeId: string; format: StoreFormat }) {
  const tills = useTerminals(storeId);
  const when = (iso: string | null): string => (iso ? format.dateTime(iso) : 'never');
  const [revoking, setRevoking] = useState<string | undefined>();
  return (
    <div data-testid="store-tills" data-store={storeId}>
      <QueryState query={tills} isEmpty={(t) => t.length === 0} empty="No tills enrolled at this store yet.">
        {(list) => (
          <div className="table-wrap">
            <table className="table" data-testid="terminals-table">
              <caption className="sr-only">Tills of {storeId}</caption>
              <thead>
                <tr>
                  <th scope="col">Till</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Token rotated</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.flatMap((t) => [
                  <tr key={t.terminalId} data-testid="terminal-row" data-terminal={t.terminalId}>
                    <td>
                      <code>{t.terminalId}</code>
                      {t.name ? <span className="muted"> {t.name}</span> : null}
                    </td>
                    <td>{when(t.lastSeenAt)}</td>
                    <td>{when(t.tokenRotatedAt)}</td>
                    <td data-testid="terminal-status">
                      {t.revoked ? `revoked ${when(t.revoked.at)}: ${t.revoked.reason}` : 'active'}
                    </td>
                    <td>
                      {t.revoked ? null : (
                        <button
                          type="button"
                          className="btn small ghost"
                          onClick={() => setRevoking(t.terminalId)}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>,
                  revoking === t.terminalId ? (
                    <tr key={`${t.terminalId}-revoke`} className="row-editor">
                      <td colSpan={5}>
                        <RevokeTill till={t} onClose={() => setRevoking(undefined)} />
                      </td>
                    </tr>
                  ) : null,
                ])}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <EnrollCode storeId={storeId} format={format} />
    </div>
  );
}
