import type { ScopeResponse } from '../../contracts/index.ts';
import { ALL_STORES } from './route.ts';

/**
 * The stores the user may see, and nothing else (the API refuses the rest anyway). Users with more than
 * one store, and head office, may also pick all of them at once.
 */
export function StorePicker({
  scope,
  value,
  onChange,
}: {
  scope: ScopeResponse;
  value: string | undefined;
  onChange: (store: string) => void;
}) {
  const wide = scope.user.stores === 'all' || scope.stores.length > 1;
  const current = value ?? scope.defaultStore ?? (wide ? ALL_STORES : (scope.stores[0]?.id ?? ''));
  return (
    <label className="picker">
      <span className="picker-label">Store</span>
      <select
        id="store-picker"
        data-testid="store-picker"
        value={current}
        onChange={(e) => onChange(e.target.value)}
      >
        {wide ? (
          <option value={ALL_STORES}>{scope.user.stores === 'all' ? 'Whole chain' : 'All my stores'}</option>
        ) : null}
        {scope.stores.map((s) => (
          <option key={s.id} value={s.id}>
            {s.id} · {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}
