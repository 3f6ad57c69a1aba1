import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import type { ProductFacets, ProductRow } from '../../../contracts/index.ts';
import { ApiError, call, normalizeField } from '../api.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { BarcodesField } from './BarcodesField.tsx';
import { type ParentRow, PRODUCT_PATHS, productPath } from './productApi.ts';
import { createBody, emptyForm, formOf, marginText, type ProductForm, patchBody } from './productForm.ts';
import { VariantFields } from './VariantFields.tsx';

/** Which API field each form field's error belongs to. */
const FIELD_OF: Partial<Record<keyof ProductForm, string>> = {
  price: 'priceMinor',
  cost: 'costMinor',
  taxRate: 'taxRateBp',
};
const PLACED = [
  'sku',
  'name',
  'category',
  'categoryId',
  'priceMinor',
  'costMinor',
  'taxRateBp',
  'taxClass',
  'supplier',
  'supplierCode',
  'unit',
  'packSize',
  'parentId',
];

/**
 * Create or edit one product. HQ checks everything again; its answer's field decides where the
 * message shows (`barcodes.1` under the second barcode), and anything unplaced shows under the form.
 */
export function ProductEditor({
  product,
  currency,
  facets,
  parents,
  onSaved,
  onClose,
}: {
  /** The product to edit; undefined: a new one. */
  product: ProductRow | undefined;
  currency: string;
  facets: ProductFacets;
  parents: readonly ParentRow[];
  onSaved: (row: ProductRow) => void;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const initial = product ? formOf(product, currency) : emptyForm();
  const [form, setFormState] = useState<ProductForm>(initial);
  // An answer is about what was sent: once the user changes the form, it no longer applies.
  const setForm = (next: (f: ProductForm) => ProductForm) => {
    if (save.error || save.isSuccess) save.reset();
    setFormState(next);
  };
  const set = <K extends keyof ProductForm>(k: K, v: ProductForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['products'] });
    void client.invalidateQueries({ queryKey: ['product-facets'] });
    void client.invalidateQueries({ queryKey: ['product'] });
  };
  const save = useMutation<ProductRow, ApiError>({
    mutationFn: () =>
      product
        ? call('PATCH', productPath(product.sku), patchBody(form, initial, currency))
        : call('POST', PRODUCT_PATHS.products, createBody(form, currency)),
    onSuccess: (row) => {
      refresh();
      onSaved(row);
    },
  });
  const archive = useMutation<ProductRow, ApiError, 'archive' | 'restore'>({
    mutationFn: (verb) => call('POST', productPath(product?.sku ?? '', `/${verb}`)),
    onSuccess: (row) => {
      refresh();
      onSaved(row);
    },
  });
  const errorAt = (field: string): ApiError | undefined => {
    const e = save.error;
    return e instanceof ApiError && e.field !== undefined && normalizeField(e.field) === field
      ? e
      : undefined;
  };
  const unplaced =
    save.error &&
    !(
      save.error.field &&
      (PLACED.includes(save.error.field) || /^(barcodes|options)\./.test(save.error.field))
    )
      ? save.error
      : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  const text = (
    k: keyof ProductForm,
    label: string,
    extra: { hint?: ReactNode; disabled?: boolean; type?: string } = {},
  ) => {
    const field = FIELD_OF[k] ?? k;
    const err = errorAt(field);
    return (
      <label className="field">
        <span>{label}</span>
        <input
          id={`product-${k}`}
          type={extra.type ?? 'text'}
          value={form[k] as string}
          disabled={extra.disabled}
          onChange={(e) => set(k, e.target.value as never)}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `product-${k}-error` : undefined}
        />
        {extra.hint ? <small className="hint">{extra.hint}</small> : null}
        <FieldError error={err} id={`product-${k}-error`} />
      </label>
    );
  };
  const categoryValue = form.categoryId || form.category;
  const margin = marginText(form.price, form.cost, currency);
  return (
    <form
      className="product-editor"
      onSubmit={submit}
      aria-label={product ? `Edit ${product.sku}` : 'New product'}
      data-testid="product-editor"
    >
      <header className="editor-head">
        <h3>{product ? `${product.name} (${product.sku})` : 'New product'}</h3>
        {product ? (
          <span className={`badge ${product.status}`} data-testid="product-status">
            {product.status === 'active' ? 'Active' : 'Archived'}
          </span>
        ) : null}
      </header>
      <div className="editor-grid">
        {text('sku', 'SKU', { disabled: product !== undefined })}
        {text('name', 'Name')}
        <label className="field">
          <span>Category</span>
          <select
            id="product-category"
            value={categoryValue}
            onChange={(e) => {
              const c = facets.categories.find((x) => x.value === e.target.value);
              setForm((f) => ({ ...f, categoryId: c?.inTree ? c.value : '', category: c ? c.label : '' }));
            }}
          >
            <option value="">— none —</option>
            {facets.categories.map((c) => (
              <option key={`${c.inTree}:${c.value}`} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          <FieldError error={errorAt('categoryId') ?? errorAt('category')} />
        </label>
        {text('price', `Price (${currency})`, {
          disabled: product !== undefined,
          hint: product
            ? 'change prices with "Change prices" (the pricebook keeps the history)'
            : 'the list price every store charges until a pricebook entry says otherwise',
        })}
        {text('cost', `Cost (${currency})`, {
          hint: margin ? <span data-testid="margin">margin {margin}</span> : 'from the supplier',
        })}
        {text('supplier', 'Supplier')}
        {text('supplierCode', "Supplier's code")}
        <label className="field">
          <span>Tax class</span>
          <select
            id="product-taxClass"
            value={form.taxClass}
            onChange={(e) => set('taxClass', e.target.value)}
          >
            <option value="">— by category or own rate —</option>
            {facets.taxClasses.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <small className="hint">charged as each store's jurisdiction defines it</small>
          <FieldError error={errorAt('taxClass')} />
        </label>
        {text('taxRate', 'Own tax rate (%)', {
          hint: "used only where the store's jurisdiction has no class for it",
        })}
        <label className="field">
          <span>Unit</span>
          <select
            id="product-unit"
            value={form.unit}
            onChange={(e) => set('unit', e.target.value as ProductForm['unit'])}
          >
            <option value="each">each</option>
            <option value="kg">kg</option>
            <option value="l">l</option>
            <option value="pack">pack</option>
          </select>
        </label>
        {form.unit === 'pack' ? text('packSize', 'Units in a pack') : null}
      </div>
      <BarcodesField value={form.barcodes} onChange={(b) => set('barcodes', b)} error={errorAt} />
      <VariantFields
        parents={parents}
        parentId={form.parentId}
        options={form.options}
        onChange={(parentId, options) => setForm((f) => ({ ...f, parentId, options }))}
        error={errorAt}
      />
      <FieldError error={unplaced} />
      <div className="row-actions">
        <button type="submit" className="btn small primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : product ? 'Save changes' : 'Create product'}
        </button>
        <button type="button" className="btn small ghost" onClick={onClose}>
          Close
        </button>
        {product ? (
          product.status === 'active' ? (
            <button
              type="button"
              className="btn small danger"
              disabled={archive.isPending}
              onClick={() => archive.mutate('archive')}
            >
              Archive
            </button>
          ) : (
            <button
              type="button"
              className="btn small"
              disabled={archive.isPending}
              onClick={() => archive.mutate('restore')}
            >
              Restore
            </button>
          )
        ) : null}
        {save.isSuccess ? (
          <span role="status" className="saved">
            Saved
          </span>
        ) : null}
      </div>
      <FieldError error={archive.error} />
    </form>
  );
}
