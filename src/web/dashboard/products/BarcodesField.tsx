import type { ApiError } from '../api.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { barcodeProblems } from './productForm.ts';

/**
 * The product's barcodes, one input each, checked as typed with the same GTIN check HQ applies; HQ's
 * own refusal (a barcode another product holds) shows under the barcode it names.
 */
export function BarcodesField({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (next: string[]) => void;
  error: (field: string) => ApiError | undefined;
}) {
  const problems = barcodeProblems(value);
  const set = (i: number, code: string) => onChange(value.map((c, j) => (j === i ? code : c)));
  return (
    <fieldset className="barcodes" data-testid="barcodes">
      <legend>Barcodes</legend>
      {value.map((code, i) => {
        const live = code.trim() === '' ? undefined : problems[i];
        const server = error(`barcodes.${i}`);
        const id = `barcode-${i}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the list, as HQ names them
          <div className="barcode-row" key={i}>
            <input
              id={id}
              aria-label={`Barcode ${i + 1}`}
              value={code}
              inputMode="numeric"
              onChange={(e) => set(i, e.target.value)}
              aria-invalid={live || server ? true : undefined}
              aria-describedby={live || server ? `${id}-error` : undefined}
            />
            <button
              type="button"
              className="btn small ghost"
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              Remove
            </button>
            {live ? (
              <p className="field-error" role="alert" id={`${id}-error`} data-field={`barcodes.${i}`}>
                {live}
              </p>
            ) : (
              <FieldError error={server} id={`${id}-error`} />
            )}
          </div>
        );
      })}
      <button type="button" className="btn small" onClick={() => onChange([...value, ''])}>
        Add barcode
      </button>
      <FieldError error={error('barcodes')} />
    </fieldset>
  );
}
