import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ApiError, call } from '../api.ts';
import { formatTime } from '../format.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { FieldError } from '../ui/QueryState.tsx';
import { CONSENT_PURPOSES, type ConsentPurpose, type CustomerProfile, customerPath } from './customerApi.ts';
import type { CustomerAdminText } from './customerText.ts';

/**
 * Each purpose as a box ticked when granted; a click grants or withdraws it at once through HQ (an
 * event with channel "hq" and the signed-in user as actor), and the history below shows it.
 */
export function ConsentEditor({ profile, t }: { profile: CustomerProfile; t: CustomerAdminText }) {
  const client = useQueryClient();
  const change = useMutation<CustomerProfile, ApiError, { purpose: ConsentPurpose; granted: boolean }>({
    mutationFn: (body) => call('POST', customerPath(profile.customerId, '/consents'), body),
    onSuccess: (saved) => {
      // HQ answers the profile without personal fields: take its consents now, re-read the rest.
      client.setQueryData<CustomerProfile>(['customer', profile.customerId], (old) =>
        old ? { ...old, consents: saved.consents, consentHistory: saved.consentHistory ?? [] } : old,
      );
      void client.invalidateQueries({ queryKey: ['customer', profile.customerId] });
    },
  });
  // The box shows what was asked while HQ is asked, so a click never seems to bounce back.
  const shown = (p: ConsentPurpose): boolean =>
    change.isPending && change.variables?.purpose === p ? change.variables.granted : profile.consents[p];
  const history = [...(profile.consentHistory ?? [])].reverse();
  return (
    <section aria-label={t.consentsTitle} data-testid="customer-consents">
      <h3>{t.consentsTitle}</h3>
      <fieldset className="consent-list" disabled={change.isPending}>
        <legend className="sr-only">{t.consentsTitle}</legend>
        {CONSENT_PURPOSES.map((p) => (
          <label key={p}>
            <input
              type="checkbox"
              name={p}
              checked={shown(p)}
              onChange={(e) => change.mutate({ purpose: p, granted: e.target.checked })}
            />
            {t.consent[p]}
          </label>
        ))}
      </fieldset>
      {change.isSuccess ? (
        <p role="status" data-testid="consent-saved">
          {t.consentSaved}
        </p>
      ) : null}
      <FieldError error={change.error} />
      <h4>{t.history}</h4>
      <DataTable
        rows={history}
        rowKey={(h) => `${history.indexOf(h)}|${h.at}|${h.purpose}`}
        caption={t.history}
        empty={t.noHistory}
        testId="consent-history"
        columns={[
          { label: t.when, cell: (h) => formatTime(h.at) },
          { label: t.purpose, cell: (h) => t.consent[h.purpose] ?? h.purpose },
          { label: t.consentsTitle, cell: (h) => (h.granted ? t.granted : t.withdrawn) },
          { label: t.channel, cell: (h) => [h.channel, h.storeId].filter(Boolean).join(' ') },
          { label: t.by, cell: (h) => h.actor ?? '' },
        ]}
      />
    </section>
  );
}
