import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { BulkPriceRequest, BulkPriceResponse, Named } from '../../../contracts/index.ts';
import { PRICE_ENDING_CHOICES } from '../../../contracts/index.ts';
import { parseMinor } from '../../../core/money.ts';
import { ApiError, call, normalizeField } from '../api.ts';
import { formatMoney } from '../format.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { PRODUCT_PATHS, type ProductFilters } from './productApi.ts';

type Kind = 'percent' | 'amount' | 'set';
const ENDING_LABEL = (e: string) => (e === 'none' ? 'no rounding' : `.${e}`);

/**
 * A price change over the products the list's filters select: first a preview of every product's
 * old and new price (a dry run, nothing written), then apply, which records the same plan as
 * pricebook entries in one go. HQ asks for edit_prices at the scope chosen.
 */
export function BulkPriceDialog({
  filters,
  currency,
  stores,
  onClose,
}: {
  filters: ProductFilters;
  currency: string;
  stores: readonly Named[];
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [kind, setKind] = useState<Kind>('percent');
  const [value, setValue] = useState('');
  const [rounding, setRounding] = useState<string>('none');
  const [scope, setScope] = useState<'chain' | 'store'>('chain');
  const [storeId, setStoreId] = useState(stores[0]?.id ?? '');
  const [from, setFrom] = useState('');
  const [preview, setPreview] = useState<BulkPriceResponse | undefined>();

  const request = (dryRun: boolean): BulkPriceRequest => {
    const trimmed = value.trim();
    let v: number;
    if (kind === 'percent') {
      v = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(v))
        throw new ApiError(400, 'validation', 'change.value: a percentage such as 5 or -10', 'change.value');
    } else {
      try {
        v = parseMinor(trimmed, currency, 'change.value');
      } catch (e) {
        throw new ApiError(
          400,
          'validation',
          e instanceof Error ? e.message : 'not an amount',
          'change.value',
        );
      }
    }
    const filter = Object.fromEntries(Object.entries(filters).filter(([, x]) => x));
    return {
      filter,
      change: { kind, value: v },
      rounding: rounding as BulkPriceRequest['rounding'],
      scope,
      ...(scope === 'store' ? { scopeId: storeId } : {}),
      // A local date and time from the picker, sent as an instant with this browser's offset.
      ...(from ? { effectiveFrom: new Date(from).toISOString() } : {}),
      dryRun,
    };
  };
  const run = useMutation<BulkPriceResponse, ApiError, boolean>({
    mutationFn: (dryRun) => call('POST', PRODUCT_PATHS.bulk, request(dryRun)),
    onSuccess: (res) => {
      setPreview(res);
      if (!res.dryRun) {
        void client.invalidateQueries({ queryKey: ['products'] });
        void client.invalidateQueries({ queryKey: ['product'] });
      }
    },
  });
  const errorAt = (f: string) =>
    run.error?.field !== undefined && normalizeField(run.error.field) === f ? run.error : undefined;
  const placed = ['change.value', 'scopeId', 'scope', 'effectiveFrom'];
  const other = run.error && !placed.includes(normalizeField(run.error.field ?? '')) ? run.error : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate(true);
  };
  const selection = Object.entries(filters)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const money = (m: number) => formatMoney(m, currency);
  return (
    <section className="bulk-dialog" role="dialog" aria-label="Change prices" data-testid="bulk-dialog">
      <form onSubmit={submit}>
        <h3>Change prices</h3>
        <p className="hint">Products: {selection || 'set a filter or search first'}</p>
        <div className="editor-grid">
          <label className="field">
            <span>Change</span>
            <select
              id="bulk-kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as Kind);
                setPreview(undefined);
              }}
            >
              <option value="percent">by percent</option>
              <option value="amount">by an amount</option>
              <option value="set">set the price</option>
            </select>
          </label>
          <label className="field">
            <span>{kind === 'percent' ? 'Percent (+5, -10)' : `Amount (${currency})`}</span>
            <input
              id="bulk-value"
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                setPreview(undefined);
              }}
              aria-invalid={errorAt('change.value') ? true : undefined}
            />
            <FieldError error={errorAt('change.value')} />
          </label>
          <label className="field">
            <span>Round to</span>
            <select
              id="bulk-rounding"
              value={rounding}
              onChange={(e) => {
                setRounding(e.target.value);
                setPreview(undefined);
              }}
            >
              {PRICE_ENDING_CHOICES.map((e) => (
                <option key={e} value={e}>
                  {ENDING_LABEL(e)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Where</span>
            <select
              id="bulk-scope"
              value={scope}
              onChange={(e) => {
                setScope(e.target.value as 'chain' | 'store');
                setPreview(undefined);
              }}
            >
              <option value="chain">every store (chain)</option>
              <option value="store">one store</option>
            </select>
            <FieldError error={errorAt('scope')} />
          </label>
          {scope === 'store' ? (
            <label className="field">
              <span>Store</span>
              <select
                id="bulk-store"
                value={storeId}
                onChange={(e) => {
                  setStoreId(e.target.value);
                  setPreview(undefined);
                }}
              >
                {stores.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id} {s.name}
                  </option>
                ))}
              </select>
              <FieldError error={errorAt('scopeId')} />
            </label>
          ) : null}
          <label className="field">
            <span>From</span>
            <input
              id="bulk-from"
              type="datetime-local"
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
                setPreview(undefined);
              }}
            />
            <small className="hint">empty: now</small>
            <FieldError error={errorAt('effectiveFrom')} />
          </label>
        </div>
        <FieldError error={other} />
        <div className="row-actions">
          <button type="submit" className="btn small" disabled={run.isPending || !selection}>
            Preview
          </button>
          <button
            type="button"
            className="btn small primary"
            disabled={run.isPending || !preview?.dryRun || preview.changed === 0}
            onClick={() => run.mutate(false)}
          >
            Apply {preview?.dryRun ? `${preview.changed} change${preview.changed === 1 ? '' : 's'}` : ''}
          </button>
          <button type="button" className="btn small ghost" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      {preview ? (
        <div data-testid="bulk-preview">
          <p role="status" data-testid="bulk-summary">
            {preview.dryRun
              ? `Preview: ${preview.changed} of ${preview.count} prices change from ${new Date(preview.effectiveFrom).toLocaleString('en-GB')}. Nothing is saved yet.`
              : `Applied: ${preview.changed} prices recorded from ${new Date(preview.effectiveFrom).toLocaleString('en-GB')}.`}
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="bulk-lines">
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col">Name</th>
                  <th scope="col" className="num">
                    Now
                  </th>
                  <th scope="col" className="num">
                    New
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.lines.map((l) => (
                  <tr key={l.sku} data-sku={l.sku}>
                    <td>{l.sku}</td>
                    <td>{l.name}</td>
                    <td className="num">{money(l.oldMinor)}</td>
                    <td className="num" data-testid="bulk-new">
                      {money(l.newMinor)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </section>
  );
}
