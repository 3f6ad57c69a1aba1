import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import type { StoreChoices, StoreSetup } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { errorFor, unplacedError } from '../people/grants.ts';
import { STORE_PATHS, storePath } from '../queries.ts';
import { FieldError } from '../ui/QueryState.tsx';
import {
  blankStore,
  currencies,
  draftOfStore,
  localePlaceholder,
  newStoreBody,
  STORE_FIELDS,
  type StoreDraft,
  storePatchBody,
  timeZones,
} from './storeForm.ts';

type TextKey = 'storeId' | 'name' | 'address' | 'currency' | 'locale';
const LABELS: Record<(typeof STORE_FIELDS)[number], string> = {
  storeId: 'Store id',
  name: 'Name',
  address: 'Address',
  timeZone: 'Time zone',
  currency: 'Currency (ISO 4217)',
  locale: 'Locale',
  taxJurisdictionId: 'Tax region',
  zoneId: 'Price zone',
  districtId: 'District',
};

/**
 * Open a store (no `store`) or change one. Time zone and currency are fixed once a store has sold in
 * them, so editing shows them read-only. Every refusal from HQ is shown under the field it names.
 */
export function StoreForm({
  store,
  choices,
  onDone,
}: {
  store?: StoreSetup;
  choices: StoreChoices;
  onDone?: (saved: StoreSetup) => void;
}) {
  const client = useQueryClient();
  const fresh = () =>
    store ? draftOfStore(store) : blankStore({ taxJurisdictionId: choices.taxJurisdictions[0]?.id });
  const [d, setD] = useState<StoreDraft>(fresh);
  const zones = useMemo(timeZones, []);
  const money = useMemo(currencies, []);
  const prefix = store ? `edit-${store.storeId}` : 'store';
  const save = useMutation<StoreSetup, ApiError>({
    mutationFn: () =>
      store
        ? call<StoreSetup>('PATCH', storePath(store.storeId), storePatchBody(store, d))
        : call<StoreSetup>('POST', STORE_PATHS.stores, newStoreBody(d)),
    onSuccess: (saved) => {
      if (!store) setD(fresh());
      for (const key of ['store-setups', 'scope', 'stores'])
        void client.invalidateQueries({ queryKey: [key] });
      onDone?.(saved);
    },
  });
  const set = <K extends keyof StoreDraft>(k: K, v: StoreDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const fieldProps = (k: (typeof STORE_FIELDS)[number]) => {
    const err = errorFor(save.error, k);
    return {
      id: `${prefix}-${k}`,
      'aria-invalid': err ? true : undefined,
      'aria-describedby': err ? `${prefix}-${k}-error` : undefined,
    };
  };
  const label = (k: (typeof STORE_FIELDS)[number], control: ReactNode) => (
    <div className="field" key={k}>
      <label htmlFor={`${prefix}-${k}`}>{LABELS[k]}</label>
      {control}
      <FieldError error={errorFor(save.error, k)} id={`${prefix}-${k}-error`} />
    </div>
  );
  const text = (k: TextKey, extra: { placeholder?: string; list?: string; required?: boolean } = {}) =>
    label(
      k,
      <input
        {...fieldProps(k)}
        value={d[k]}
        onChange={(e) => set(k, e.target.value)}
        autoComplete="off"
        {...extra}
      />,
    );
  const choice = (
    k: 'taxJurisdictionId' | 'zoneId' | 'districtId',
    options: readonly { id: string; name: string }[],
    none: string | undefined,
  ) =>
    label(
      k,
      <select {...fieldProps(k)} value={d[k]} onChange={(e) => set(k, e.target.value)}>
        {none !== undefined ? <option value="">{none}</option> : null}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.id} · {o.name}
          </option>
        ))}
      </select>,
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form
      className="people-form"
      onSubmit={submit}
      aria-label={store ? `Change store ${store.storeId}` : 'Open a store'}
      data-testid={store ? 'edit-store' : 'add-store'}
      noValidate
    >
      {store ? null : <h3>Open a store</h3>}
      <div className="people-fields">
        {store ? null : text('storeId', { placeholder: 'S007', required: true })}
        {text('name', { required: true })}
        {text('address')}
        {store
          ? null
          : label(
              'timeZone',
              <select
                {...fieldProps('timeZone')}
                value={d.timeZone}
                onChange={(e) => set('timeZone', e.target.value)}
              >
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>,
            )}
        {store ? null : text('currency', { list: `${prefix}-currencies`, required: true })}
        {text('locale', { placeholder: localePlaceholder(d.timeZone) })}
        {choices.taxJurisdictions.length > 0 || d.taxJurisdictionId
          ? choice('taxJurisdictionId', choices.taxJurisdictions, undefined)
          : null}
        {choice('zoneId', choices.zones, 'no price zone')}
        {store || choices.districts.length === 0
          ? null
          : choice('districtId', choices.districts, 'no district')}
      </div>
      {store ? (
        <p className="muted">
          {store.timeZone} · {store.currency} · shelf prices {store.taxInclusive ? 'include' : 'exclude'} tax
        </p>
      ) : (
        <label className="check">
          <input
            type="checkbox"
            id={`${prefix}-taxInclusive`}
            checked={d.taxInclusive}
            onChange={(e) => set('taxInclusive', e.target.checked)}
          />{' '}
          Shelf prices include tax (VAT)
        </label>
      )}
      <datalist id={`${prefix}-currencies`}>
        {money.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <FieldError error={unplacedError(save.error, [...STORE_FIELDS])} />
      <button type="submit" className="btn small primary" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : store ? 'Save store' : 'Open store'}
      </button>
    </form>
  );
}
