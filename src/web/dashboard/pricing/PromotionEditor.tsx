import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { type PromotionInput, type PromotionKind, weekdays } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { PRICING_PATHS, type Zone } from './pricingApi.ts';
import {
  blankForm,
  KIND_FIELDS,
  KIND_LABELS,
  type PromotionForm,
  type SelectorForm,
  type Weekday,
} from './promotionForm.ts';
import { errorAt, type FieldErrors, hqFieldPath, toDefinition } from './promotionMapping.ts';

/**
 * Create or edit a promotion of any kind: the fields are the kind's field set (promotionForm.ts), the
 * draft is checked with HQ's schema as it is typed, and HQ's own refusal shows beside its field.
 */
export function PromotionEditor({
  form,
  setForm,
  currency,
  stores,
  zones,
  onPublished,
}: {
  form: PromotionForm;
  setForm: (f: PromotionForm) => void;
  currency: string;
  stores: readonly { storeId: string; name: string }[];
  zones: readonly Zone[];
  onPublished: () => void;
}) {
  const client = useQueryClient();
  const checked = toDefinition(form, currency);
  const publish = useMutation<unknown, ApiError, PromotionInput>({
    mutationFn: (def) => call('PUT', PRICING_PATHS.promotions, [def]),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['pricing'] });
      onPublished();
    },
  });
  const hqField = hqFieldPath(publish.error?.field);
  const errors: FieldErrors = {
    ...checked.errors,
    ...(publish.error && hqField ? { [hqField]: publish.error.message } : {}),
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (checked.definition) publish.mutate(checked.definition);
  };
  const set = (patch: Partial<PromotionForm>) => setForm({ ...form, ...patch });
  const show = (f: (typeof KIND_FIELDS)[PromotionKind][number]) => KIND_FIELDS[form.kind].includes(f);
  const text = (key: keyof PromotionForm, label: string, path: string, hint?: string) => (
    <Field label={label} error={errorAt(errors, path)} id={`promo-${key}`}>
      <input
        id={`promo-${key}`}
        value={String(form[key])}
        placeholder={hint}
        onChange={(e) => set({ [key]: e.target.value } as Partial<PromotionForm>)}
        aria-invalid={errorAt(errors, path) ? true : undefined}
      />
    </Field>
  );
  return (
    <form
      className="people-form"
      onSubmit={submit}
      aria-label="Promotion"
      data-testid="promotion-editor"
      noValidate
    >
      <div className="people-fields">
        {text('id', 'Id', 'id', 'bakery-10')}
        {text('name', 'Name (on the receipt)', 'name')}
        <Field label="Kind" id="promo-kind">
          <select
            id="promo-kind"
            value={form.kind}
            onChange={(e) =>
              setForm({ ...blankForm(e.target.value as PromotionKind), id: form.id, name: form.name })
            }
          >
            {Object.entries(KIND_LABELS).map(([k, l]) => (
              <option key={k} value={k}>
                {l}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset>
        <legend>Discount</legend>
        {show('target') ? (
          <Selector
            label={form.kind === 'buyXGetY' ? 'Buy items' : 'Items (empty: all)'}
            prefix="target"
            value={form.target}
            onChange={(target) => set({ target })}
            error={errorAt(errors, form.kind === 'buyXGetY' ? 'buy.target' : 'target')}
          />
        ) : null}
        <div className="people-fields">
          {show('qty')
            ? text(
                'qty',
                form.kind === 'buyXGetY' ? 'Buy quantity' : 'Set size',
                form.kind === 'buyXGetY' ? 'buy.qty' : 'qty',
              )
            : null}
          {show('discountMode') ? (
            <Field label="Discount as" id="promo-mode">
              <select
                id="promo-mode"
                value={form.discountMode}
                onChange={(e) => set({ discountMode: e.target.value as 'amount' | 'percent' })}
              >
                <option value="percent">Percent</option>
                <option value="amount">Amount</option>
              </select>
            </Field>
          ) : null}
          {show('percent') && (form.kind !== 'basketOff' || form.discountMode === 'percent')
            ? text(
                'percent',
                form.kind === 'buyXGetY' ? 'Percent off the free units (100 = free)' : 'Percent off',
                form.kind === 'buyXGetY'
                  ? 'get.percentBp'
                  : form.kind === 'basketOff'
                    ? 'percentOffBp'
                    : 'percentBp',
                '10',
              )
            : null}
          {show('amount') && (form.kind !== 'basketOff' || form.discountMode === 'amount')
            ? text(
                'amount',
                `Amount off (${currency})`,
                form.kind === 'basketOff' ? 'amountOffMinor' : 'amountMinor',
                '0.50',
              )
            : null}
          {show('price') ? text('price', `Price (${currency})`, 'priceMinor', '10.00') : null}
        </div>
        {show('get') ? (
          <>
            <Selector
              label="Get items (empty: the same items)"
              prefix="get"
              value={form.getTarget}
              onChange={(getTarget) => set({ getTarget })}
              error={errorAt(errors, 'get.target')}
            />
            <div className="people-fields">
              {text('getQty', 'Get quantity', 'get.qty')}
              <Field label="Discount the" id="promo-applyTo">
                <select
                  id="promo-applyTo"
                  value={form.applyTo}
                  onChange={(e) => set({ applyTo: e.target.value as 'cheapest' | 'mostExpensive' })}
                >
                  <option value="cheapest">cheapest units</option>
                  <option value="mostExpensive">most expensive units</option>
                </select>
              </Field>
            </div>
          </>
        ) : null}
        {show('components')
          ? form.components.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: components have no id of their own; their order is their identity
              <div key={i} className="people-fields">
                <Selector
                  label={`Component ${i + 1}`}
                  prefix={`component-${i}`}
                  value={c.target}
                  onChange={(target) =>
                    set({ components: form.components.map((x, j) => (j === i ? { ...x, target } : x)) })
                  }
                  error={errorAt(errors, `components.${i}`)}
                />
                <Field label="Qty" id={`promo-component-${i}-qty`}>
                  <input
                    id={`promo-component-${i}-qty`}
                    value={c.qty}
                    onChange={(e) =>
                      set({
                        components: form.components.map((x, j) =>
                          j === i ? { ...x, qty: e.target.value } : x,
                        ),
                      })
                    }
                  />
                </Field>
              </div>
            ))
          : null}
        {show('components') ? (
          <button
            type="button"
            className="btn small ghost"
            onClick={() =>
              set({ components: [...form.components, { target: blankSelectorForm(), qty: '1' }] })
            }
          >
            Add component
          </button>
        ) : null}
        {show('basis') ? (
          <Field label="Spend measured" id="promo-basis">
            <select
              id="promo-basis"
              value={form.basis}
              onChange={(e) => set({ basis: e.target.value as 'net' | 'list' })}
            >
              <option value="net">after item promotions</option>
              <option value="list">at list prices</option>
            </select>
          </Field>
        ) : null}
        {show('tiers')
          ? form.tiers.map((t, i) => {
              const upd = (patch: Partial<typeof t>) =>
                set({ tiers: form.tiers.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: tiers are edited in place by position
                <div key={i} className="people-fields">
                  <Field
                    label={`Tier ${i + 1}: spend at least (${currency})`}
                    error={errorAt(errors, `tiers.${i}.minSpendMinor`)}
                    id={`promo-tier-${i}-min`}
                  >
                    <input
                      id={`promo-tier-${i}-min`}
                      value={t.minSpend}
                      onChange={(e) => upd({ minSpend: e.target.value })}
                    />
                  </Field>
                  <Field label="Off as" id={`promo-tier-${i}-mode`}>
                    <select
                      id={`promo-tier-${i}-mode`}
                      value={t.mode}
                      onChange={(e) => upd({ mode: e.target.value as 'amount' | 'percent' })}
                    >
                      <option value="amount">Amount</option>
                      <option value="percent">Percent</option>
                    </select>
                  </Field>
                  <Field
                    label="Off"
                    error={errorAt(
                      errors,
                      `tiers.${i}.${t.mode === 'amount' ? 'amountOffMinor' : 'percentOffBp'}`,
                    )}
                    id={`promo-tier-${i}-value`}
                  >
                    <input
                      id={`promo-tier-${i}-value`}
                      value={t.value}
                      onChange={(e) => upd({ value: e.target.value })}
                    />
                  </Field>
                </div>
              );
            })
          : null}
        {show('tiers') ? (
          <button
            type="button"
            className="btn small ghost"
            onClick={() => set({ tiers: [...form.tiers, { minSpend: '', mode: 'amount', value: '' }] })}
          >
            Add tier
          </button>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Where and who</legend>
        <Picks
          label="Stores (none: every store)"
          name="store"
          all={stores.map((s) => ({ id: s.storeId, name: s.name }))}
          value={form.storeIds}
          onChange={(storeIds) => set({ storeIds })}
          error={errorAt(errors, 'locations')}
        />
        <Picks
          label="Zones"
          name="zone"
          all={zones}
          value={form.zoneIds}
          onChange={(zoneIds) => set({ zoneIds })}
        />
        <Picks
          label="Except stores"
          name="exclude"
          all={stores.map((s) => ({ id: s.storeId, name: s.name }))}
          value={form.excludeStoreIds}
          onChange={(excludeStoreIds) => set({ excludeStoreIds })}
        />
        <div className="people-fields">
          {text('channels', 'Channels (empty: all)', 'channels')}
          <Field label="Members only" id="promo-members">
            <input
              id="promo-members"
              type="checkbox"
              checked={form.membersOnly}
              onChange={(e) => set({ membersOnly: e.target.checked })}
            />
          </Field>
          {text('segments', 'Customer segments', 'audience')}
          {text('couponCodes', 'Coupon codes', 'couponCodes', 'SAVE5')}
        </div>
      </fieldset>
      <fieldset>
        <legend>When (the store's local time)</legend>
        <div className="people-fields">
          {text('from', 'From', 'schedule.from', '2026-11-27 or 2026-11-27T17:00')}
          {text('to', 'Until', 'schedule.to', '2026-12-07')}
        </div>
        {form.windows.map((w, i) => {
          const upd = (patch: Partial<typeof w>) =>
            set({ windows: form.windows.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: windows are edited in place by position
            <div key={i} className="people-fields" data-testid="promo-window">
              {weekdays.map((d) => (
                <label key={d} className="check">
                  <input
                    type="checkbox"
                    checked={w.days.includes(d)}
                    onChange={(e) =>
                      upd({
                        days: e.target.checked ? [...w.days, d] : w.days.filter((x: Weekday) => x !== d),
                      })
                    }
                  />
                  {d}
                </label>
              ))}
              <Field
                label="From"
                error={errorAt(errors, `schedule.windows.${i}.start`)}
                id={`promo-window-${i}-start`}
              >
                <input
                  id={`promo-window-${i}-start`}
                  type="time"
                  value={w.start}
                  onChange={(e) => upd({ start: e.target.value })}
                />
              </Field>
              <Field
                label="To"
                error={errorAt(errors, `schedule.windows.${i}.end`)}
                id={`promo-window-${i}-end`}
              >
                <input
                  id={`promo-window-${i}-end`}
                  type="time"
                  value={w.end}
                  onChange={(e) => upd({ end: e.target.value })}
                />
              </Field>
            </div>
          );
        })}
        <button
          type="button"
          className="btn small ghost"
          onClick={() => set({ windows: [...form.windows, { days: [], start: '09:00', end: '17:00' }] })}
        >
          Add hours
        </button>
      </fieldset>
      <fieldset>
        <legend>Limits and stacking</legend>
        <div className="people-fields">
          {text('limitPerCart', 'Per cart', 'limits.perCart')}
          {text('limitPerCustomer', 'Per customer', 'limits.perCustomer')}
          {text('limitTotal', 'Total uses', 'limits.total')}
          {text('priority', 'Priority', 'priority')}
          <Field label="Stacking" error={errorAt(errors, 'stacking')} id="promo-stacking">
            <select
              id="promo-stacking"
              value={form.stacking}
              onChange={(e) => set({ stacking: e.target.value as PromotionForm['stacking'] })}
            >
              <option value="standard">standard</option>
              <option value="stackable">stackable (on top of others)</option>
              <option value="exclusive">exclusive (alone)</option>
            </select>
          </Field>
        </div>
      </fieldset>
      {publish.error && !hqField ? <FieldError error={publish.error} /> : null}
      {errors.form ? <p className="field-error">{errors.form}</p> : null}
      <button type="submit" className="btn small primary" disabled={publish.isPending || !checked.definition}>
        {publish.isPending ? 'Publishing…' : 'Publish'}
      </button>
    </form>
  );
}

const blankSelectorForm = (): SelectorForm => blankForm().target;

function Field({
  label,
  error,
  id,
  children,
}: {
  label: string;
  error?: string | undefined;
  id: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <p className="field-error" role="alert" data-field-for={id}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Selector({
  label,
  prefix,
  value,
  onChange,
  error,
}: {
  label: string;
  prefix: string;
  value: SelectorForm;
  onChange: (v: SelectorForm) => void;
  error?: string | undefined;
}) {
  const input = (k: keyof SelectorForm, l: string) => (
    <Field label={l} id={`promo-${prefix}-${k}`}>
      <input
        id={`promo-${prefix}-${k}`}
        value={value[k]}
        onChange={(e) => onChange({ ...value, [k]: e.target.value })}
        placeholder="comma-separated ids"
      />
    </Field>
  );
  return (
    <fieldset className="selector">
      <legend>{label}</legend>
      <div className="people-fields">
        {input('skus', 'SKUs')}
        {input('categoryIds', 'Categories')}
        {input('productGroupIds', 'Product groups')}
        {input('excludeSkus', 'Except SKUs')}
        {input('excludeCategoryIds', 'Except categories')}
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function Picks({
  label,
  name,
  all,
  value,
  onChange,
  error,
}: {
  label: string;
  name: string;
  all: readonly { id: string; name: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className="picks">
      <legend>{label}</legend>
      {all.map((o) => (
        <label key={o.id} className="check">
          <input
            type="checkbox"
            name={`${name}-${o.id}`}
            checked={value.includes(o.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((x) => x !== o.id))}
          />
          {o.id}
        </label>
      ))}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
