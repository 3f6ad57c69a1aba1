import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type ApiError, call } from '../api.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { CUSTOMER_PATHS } from './customerApi.ts';
import type { CustomerAdminText } from './customerText.ts';

/** The profiles merged into this person, each with its own unmerge (a reason is required, as HQ asks). */
export function MergedProfiles({
  survivorId,
  mergedIds,
  mayMerge,
  t,
}: {
  survivorId: string;
  mergedIds: readonly string[];
  mayMerge: boolean;
  t: CustomerAdminText;
}) {
  return (
    <section aria-label={t.mergedTitle} data-testid="merged-profiles">
      <h3>{t.mergedTitle}</h3>
      <ul>
        {mergedIds.map((id) => (
          <li key={id}>
            <code>{id}</code>
            {mayMerge ? <UnmergeForm survivorId={survivorId} mergedId={id} t={t} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function UnmergeForm({
  survivorId,
  mergedId,
  t,
}: {
  survivorId: string;
  mergedId: string;
  t: CustomerAdminText;
}) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const unmerge = useMutation<unknown, ApiError>({
    mutationFn: () => call('POST', CUSTOMER_PATHS.unmerge, { survivorId, mergedId, reason: reason.trim() }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['customer'] });
      void client.invalidateQueries({ queryKey: ['customer-duplicates'] });
      void client.invalidateQueries({ queryKey: ['customer-search'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    unmerge.mutate();
  };
  return (
    <form className="unmerge-form" onSubmit={submit}>
      <label>
        {t.reason}{' '}
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} required />
      </label>
      <button type="submit" className="btn small" disabled={!reason.trim() || unmerge.isPending}>
        {t.unmerge}
      </button>
      <FieldError error={unmerge.error} />
    </form>
  );
}
