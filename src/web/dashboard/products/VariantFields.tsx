import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type ApiError, call } from '../api.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { type ParentRow, PRODUCT_PATHS } from './productApi.ts';

/**
 * Variant info: the product with options (Colour, Size) this one is a variant of, and its value for
 * each option; or a new such parent, named with its options, made on the spot.
 */
export function VariantFields({
  parents,
  parentId,
  options,
  onChange,
  error,
}: {
  parents: readonly ParentRow[];
  parentId: string;
  options: Record<string, string>;
  onChange: (parentId: string, options: Record<string, string>) => void;
  error: (field: string) => ApiError | undefined;
}) {
  const client = useQueryClient();
  const [draft, setDraft] = useState({ id: '', name: '', optionNames: '' });
  const [adding, setAdding] = useState(false);
  const parent = parents.find((p) => p.id === parentId);
  const create = useMutation<ParentRow, ApiError>({
    mutationFn: () =>
      call('POST', PRODUCT_PATHS.parents, {
        id: draft.id.trim(),
        name: draft.name.trim(),
        optionNames: draft.optionNames
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n !== ''),
      }).then((r) => (r as { parent: ParentRow }).parent),
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: ['product-parents'] });
      setAdding(false);
      onChange(created.id, Object.fromEntries(created.optionNames.map((n) => [n, ''])));
    },
  });
  return (
    <fieldset className="variant-fields" data-testid="variant-fields">
      <legend>Variant of</legend>
      <label className="field">
        <span>Parent product</span>
        <select
          id="product-parentId"
          value={parentId}
          onChange={(e) => onChange(e.target.value, {})}
          aria-invalid={error('parentId') ? true : undefined}
        >
          <option value="">— none (a product on its own) —</option>
          {parents.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.optionNames.join(', ')})
            </option>
          ))}
        </select>
        <FieldError error={error('parentId')} />
      </label>
      {parent?.optionNames.map((n) => (
        <label className="field" key={n}>
          <span>{n}</span>
          <input
            id={`product-option-${n}`}
            value={options[n] ?? ''}
            onChange={(e) => onChange(parentId, { ...options, [n]: e.target.value })}
            aria-invalid={error(`options.${n}`) ? true : undefined}
          />
          <FieldError error={error(`options.${n}`)} />
        </label>
      ))}
      {adding ? (
        <div className="new-parent" data-testid="new-parent">
          <input
            placeholder="id (TEE-CLASSIC)"
            aria-label="New parent id"
            value={draft.id}
            onChange={(e) => setDraft({ ...draft, id: e.target.value })}
          />
          <input
            placeholder="name (Classic Tee)"
            aria-label="New parent name"
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
          <input
            placeholder="options (Colour, Size)"
            aria-label="Option names"
            value={draft.optionNames}
            onChange={(e) => setDraft({ ...draft, optionNames: e.target.value })}
          />
          <button
            type="button"
            className="btn small"
            disabled={create.isPending}
            onClick={() => create.mutate()}
          >
            Create parent
          </button>
          <FieldError error={create.error} />
        </div>
      ) : (
        <button type="button" className="btn small ghost" onClick={() => setAdding(true)}>
          New parent with options…
        </button>
      )}
    </fieldset>
  );
}
