import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { StoreInfo } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { Panel } from '../ui/Panel.tsx';
import { FieldError, QueryState } from '../ui/QueryState.tsx';
import { PromotionEditor } from './PromotionEditor.tsx';
import { formatInstant, userLocale } from './priceStatus.ts';
import {
  PRICING_PATHS,
  type PromotionRecord,
  promotionPath,
  usePromotionHistory,
  usePromotionRecords,
  useZones,
} from './pricingApi.ts';
import { blankForm, KIND_LABELS, type PromotionForm } from './promotionForm.ts';
import { fromDefinition } from './promotionMapping.ts';
import { promotionState } from './promotionStatus.ts';

/** Promotions: the list by state, activate or end one, edit or create with the editor, its history. */
export function PromotionsPanel({
  stores,
  currency,
  form,
  setForm,
}: {
  stores: readonly StoreInfo[];
  currency: string;
  form: PromotionForm | undefined;
  setForm: (f: PromotionForm | undefined) => void;
}) {
  const records = usePromotionRecords();
  const zones = useZones();
  const client = useQueryClient();
  const [history, setHistory] = useState<string | undefined>();
  const toggle = useMutation<unknown, ApiError, PromotionRecord>({
    mutationFn: (r) =>
      r.active
        ? call('DELETE', promotionPath(r.definition.id))
        : call('PUT', PRICING_PATHS.promotions, [r.definition]),
    onSuccess: () => client.invalidateQueries({ queryKey: ['pricing'] }),
  });
  const now = new Date();
  return (
    <Panel
      title="Promotions"
      wide
      testId="promotions-panel"
      actions={
        <button type="button" className="btn small" onClick={() => setForm(blankForm())}>
          New promotion
        </button>
      }
    >
      <QueryState query={records} isEmpty={(r) => r.length === 0} empty="No promotions yet.">
        {(list) => (
          <table className="table">
            <thead>
              <tr>
                <th>Promotion</th>
                <th>Kind</th>
                <th>State</th>
                <th>Changed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((r) => {
                const state = promotionState(r, now);
                return (
                  <tr
                    key={r.definition.id}
                    data-testid="promotion-row"
                    data-id={r.definition.id}
                    data-state={state}
                  >
                    <td>
                      {r.definition.name} <span className="muted">{r.definition.id}</span>
                    </td>
                    <td>{KIND_LABELS[r.definition.kind]}</td>
                    <td>{state}</td>
                    <td>{formatInstant(r.updatedAt, userLocale())}</td>
                    <td>
                      <button
                        type="button"
                        className="btn small ghost"
                        onClick={() => setForm(fromDefinition(r.definition, currency))}
                      >
                        Edit
                      </button>
                      <button type="button" className="btn small ghost" onClick={() => toggle.mutate(r)}>
                        {r.active ? 'Deactivate' : 'Activate'}
                      </button>
                      <button
                        type="button"
                        className="btn small ghost"
                        onClick={() => setHistory(r.definition.id)}
                      >
                        History
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </QueryState>
      <FieldError error={toggle.error} />
      {history ? <PromotionHistory id={history} onClose={() => setHistory(undefined)} /> : null}
      {form ? (
        <PromotionEditor
          form={form}
          setForm={setForm}
          currency={currency}
          stores={stores}
          zones={zones.data ?? []}
          onPublished={() => setHistory(form.id.trim())}
        />
      ) : null}
    </Panel>
  );
}

function PromotionHistory({ id, onClose }: { id: string; onClose: () => void }) {
  const versions = usePromotionHistory(id);
  return (
    <section className="history" data-testid="promotion-history" aria-label={`History of ${id}`}>
      <h3>
        History of {id}{' '}
        <button type="button" className="btn small ghost" onClick={onClose}>
          Close
        </button>
      </h3>
      <QueryState query={versions}>
        {(vs) => (
          <ol>
            {vs.map((v) => (
              <li key={v.version} data-testid="promotion-version">
                v{v.version} · {formatInstant(v.changedAt, userLocale())} · {v.changedBy} ·{' '}
                {v.active ? 'published' : 'ended'} · {v.definition.name}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </section>
  );
}
