import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { StoreInfo } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { Panel } from '../ui/Panel.tsx';
import { FieldError, QueryState } from '../ui/QueryState.tsx';
import { PRICING_PATHS, storeZonePath, useZones } from './pricingApi.ts';

/** Price zones: list, create one, and put a store in a zone (or take it out). */
export function ZonesPanel({ stores }: { stores: readonly StoreInfo[] }) {
  const zones = useZones();
  const client = useQueryClient();
  const [form, setForm] = useState({ id: '', name: '' });
  const create = useMutation<unknown, ApiError>({
    mutationFn: () => call('POST', PRICING_PATHS.zones, form),
    onSuccess: () => {
      setForm({ id: '', name: '' });
      void client.invalidateQueries({ queryKey: ['pricing'] });
    },
  });
  const assign = useMutation<unknown, ApiError, { storeId: string; zoneId: string | null }>({
    mutationFn: ({ storeId, zoneId }) => call('PUT', storeZonePath(storeId), { zoneId }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['pricing'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Panel title="Price zones" testId="zones-panel">
      <QueryState query={zones}>
        {(list) => (
          <table className="table">
            <thead>
              <tr>
                <th>Store</th>
                <th>Zone</th>
              </tr>
            </thead>
            <tbody>
              {stores.map((s) => (
                <tr key={s.storeId}>
                  <td>
                    {s.storeId} · {s.name}
                  </td>
                  <td>
                    <select
                      aria-label={`Zone of ${s.storeId}`}
                      value={list.find((z) => z.storeIds.includes(s.storeId))?.id ?? ''}
                      onChange={(e) => assign.mutate({ storeId: s.storeId, zoneId: e.target.value || null })}
                    >
                      <option value="">No zone</option>
                      {list.map((z) => (
                        <option key={z.id} value={z.id}>
                          {z.id} · {z.name}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <FieldError error={assign.error} />
      <form className="people-form inline" onSubmit={submit} aria-label="Create a zone">
        <label className="field">
          <span>Zone id</span>
          <input id="zone-id" value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} />
          <FieldError error={create.error?.field === 'id' ? create.error : undefined} />
        </label>
        <label className="field">
          <span>Name</span>
          <input
            id="zone-name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
          <FieldError error={create.error?.field === 'name' ? create.error : undefined} />
        </label>
        <button type="submit" className="btn small">
          Create zone
        </button>
      </form>
      {create.error && !['id', 'name'].includes(create.error.field ?? '') ? (
        <FieldError error={create.error} />
      ) : null}
    </Panel>
  );
}
