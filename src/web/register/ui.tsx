import type { ReactNode } from 'react';
import type { ApiError } from './api.ts';
import { useFormat } from './format-context.tsx';

/** The API's message shown right under what caused it; `fields` limits it to errors about those fields. */
export function FieldError({
  error,
  fields,
  id,
}: {
  error: ApiError | undefined;
  fields?: readonly string[];
  id?: string;
}) {
  if (!error) return null;
  if (fields && !fields.some((f) => error.field === f || error.field?.startsWith(`${f}.`))) return null;
  return (
    <p className="field-error" role="alert" id={id} data-field={error.field ?? ''}>
      {error.message}
    </p>
  );
}

/** A money amount typed on the till's big keypad: label, input and the API's error about `field`. */
export function AmountField({
  id,
  label,
  value,
  onChange,
  error,
  field,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: ApiError | undefined;
  field: string;
  placeholder?: string;
}) {
  return (
    <>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        className="input huge"
        inputMode="decimal"
        autoComplete="off"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldError error={error} fields={[field]} />
    </>
  );
}

/** An error belongs to one of `fields`, so the caller shows it there and not in the general slot. */
export const isAbout = (error: ApiError | undefined, fields: readonly string[]): boolean =>
  !!error?.field && fields.some((f) => error.field === f || error.field?.startsWith(`${f}.`));

export function Money({
  minor,
  currency,
  className,
}: {
  minor: number;
  currency: string;
  className?: string;
}) {
  const fmt = useFormat();
  return <span className={`money ${className ?? ''}`}>{fmt.money(minor, currency)}</span>;
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

/**
 * One of a few options as a row of buttons, the chosen one pressed: a tender method, what a discount
 * is on, how a gift card is paid. The legend is for screen readers.
 */
export function Choice<T extends string>({
  legend,
  options,
  chosen,
  onChoose,
}: {
  legend: string;
  // T is taken from `chosen` (the state's own type), not widened from the options' literals.
  options: readonly { value: NoInfer<T>; label: ReactNode; disabled?: boolean }[];
  chosen: T;
  onChoose(value: NoInfer<T>): void;
}) {
  return (
    <fieldset className="methods">
      <legend className="sr-only">{legend}</legend>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={chosen === o.value}
          disabled={o.disabled}
          className={`btn method ${chosen === o.value ? 'chosen' : ''}`}
          onClick={() => onChoose(o.value)}
        >
          {o.label}
        </button>
      ))}
    </fieldset>
  );
}

export function PanelHeader({
  title,
  hint,
  onClose,
}: {
  title: string;
  hint?: ReactNode;
  onClose?: () => void;
}) {
  return (
    <header className="panel-header">
      <h2>{title}</h2>
      {hint ? <span className="panel-hint">{hint}</span> : null}
      {onClose ? (
        <button type="button" className="btn ghost small" onClick={onClose}>
          Back <Kbd>Esc</Kbd>
        </button>
      ) : null}
    </header>
  );
}

export const isEditable = (el: EventTarget | null): el is HTMLInputElement | HTMLTextAreaElement =>
  el instanceof HTMLTextAreaElement ||
  (el instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit'].includes(el.type));

/** Sets a field's value so React's onChange sees it (used to take a scanner burst back out). */
export function setFieldValue(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const proto =
    el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
