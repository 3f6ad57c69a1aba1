import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, type ReactNode, type Ref, useRef, useState } from 'react';
import type { Item } from '../../contracts/index.ts';
import { ApiError, api } from './api.ts';
import { useFormat } from './format-context.tsx';
import { type EntryOutcome, isNameQuery, itemsOf, movePick, searchOutcome } from './product-entry.ts';
import { FieldError } from './ui.tsx';

const search = (q: string): Promise<readonly Item[]> =>
  api<Item[] | { items: Item[] }>('GET', `/api/v1/items?q=${encodeURIComponent(q)}&limit=8`).then(itemsOf);

/**
 * Enter in a code-or-name field: a code the till knows goes through as typed; otherwise (404 on the
 * code, and the text could be a name) the name search decides. Any other answer (catalog not loaded, till down) also goes through,
 * so the caller shows the till's own message.
 */
async function resolveEntry(q: string, canSearch: boolean): Promise<EntryOutcome> {
  try {
    await api<Item>('GET', `/api/v1/items/${encodeURIComponent(q)}`);
    return { kind: 'add', code: q };
  } catch (e) {
    // A barcode or PLU the till does not know is not a name: the till's own "not found" says so.
    if (!(e instanceof ApiError) || e.status !== 404 || !canSearch || !isNameQuery(q))
      return { kind: 'add', code: q };
  }
  return searchOutcome(q, await search(q));
}

/**
 * The one field for "a code or a name" on the register: the sale's scan field, an exchange's new
 * items, a return without a receipt. Matches show as you type a name (two letters or more); ↑/↓ and
 * Enter or a tap pick one. `onCode` receives a code the till resolves (a scan, a SKU, a picked match).
 */
export function ProductField({
  id,
  label,
  currency,
  canSearch,
  onCode,
  inputRef,
  className = 'input',
  error,
  errorId,
  wedgeOff = false,
  autoFocus = false,
  button,
}: {
  id: string;
  label: string;
  currency: string;
  canSearch: boolean;
  onCode(code: string): void;
  inputRef?: Ref<HTMLInputElement>;
  className?: string;
  /** The caller's error about the code (unknown product, sold by weight…), shown under the field. */
  error?: ApiError | undefined;
  errorId?: string;
  /** The field takes a scanner's burst itself (Enter adds what it holds) instead of the wedge detector. */
  wedgeOff?: boolean;
  autoFocus?: boolean;
  /** A button beside the field (Add). */
  button?: ReactNode;
}) {
  const fmt = useFormat();
  const [text, setText] = useState('');
  const [pick, setPick] = useState(0);
  // The cashier moved through the matches or Enter listed them: Enter now adds the highlighted one.
  const [choosing, setChoosing] = useState(false);
  const [found, setFound] = useState<{ query: string; items: readonly Item[] }>();
  const [notFound, setNotFound] = useState<ApiError>();
  const q = text.trim();
  const live = canSearch && isNameQuery(q);
  const results = useQuery({
    queryKey: ['product-search', q],
    queryFn: () => search(q),
    enabled: live,
    staleTime: 30_000,
  });
  const items = found?.query === q ? found.items : live ? (results.data ?? []) : [];
  // Entries resolve one after another, so a burst of scans lands in the order it was keyed.
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  const change = (value: string) => {
    setText(value);
    setPick(0);
    setChoosing(false);
    setNotFound(undefined);
  };
  const add = (code: string) => {
    change('');
    setFound(undefined);
    onCode(code);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!q) return;
    const chosen = items[pick];
    if (choosing && chosen) return add(chosen.sku);
    change('');
    const typed = q;
    queue.current = queue.current.then(async () => {
      const outcome = await resolveEntry(typed, canSearch).catch(
        (err: unknown): EntryOutcome => ({ kind: 'none', message: (err as Error).message }),
      );
      if (outcome.kind === 'add') onCode(outcome.code);
      else if (outcome.kind === 'none') {
        setText(typed);
        setNotFound(new ApiError(404, 'not_found', outcome.message, 'code'));
      } else {
        // Several names match: keep the text, list them, Enter or a tap takes the highlighted one.
        setText(typed);
        setFound({ query: typed, items: outcome.items });
        setPick(0);
        setChoosing(true);
      }
    });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (items.length === 0 || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    e.preventDefault();
    e.stopPropagation();
    setPick((p) => (choosing ? movePick(p, e.key as 'ArrowUp' | 'ArrowDown', items.length) : 0));
    setChoosing(true);
  };
  const shownError = notFound ?? error;
  return (
    <form onSubmit={submit} className="scan-form">
      <div className={button ? 'row' : undefined}>
        <input
          id={id}
          ref={inputRef}
          data-wedge={wedgeOff ? 'off' : undefined}
          className={className}
          autoComplete="off"
          spellCheck={false}
          // biome-ignore lint/a11y/noAutofocus: a panel that opens to scan or type items
          autoFocus={autoFocus}
          aria-label={label}
          value={text}
          onChange={(e) => change(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={canSearch ? 'Barcode, SKU, PLU or name' : 'Barcode, SKU or PLU'}
          aria-describedby={errorId}
          aria-invalid={!!shownError}
          aria-controls={items.length > 0 ? `${id}-results` : undefined}
          aria-activedescendant={items.length > 0 && choosing ? `${id}-result-${pick}` : undefined}
        />
        {button}
      </div>
      <FieldError error={shownError} id={errorId} />
      {items.length > 0 ? (
        <ul className="results" id={`${id}-results`} aria-label="Search results">
          {items.map((it, i) => (
            <li key={it.sku}>
              <button
                type="button"
                id={`${id}-result-${i}`}
                className={`result ${i === pick ? 'picked' : ''}`}
                aria-current={i === pick && choosing}
                onClick={() => add(it.sku)}
              >
                <span>
                  <span className="name">{it.name}</span>
                  <span className="sku">{it.sku}</span>
                </span>
                <span className="num">
                  {fmt.money(it.priceMinor, currency)}
                  {it.soldBy === 'weight' ? ' /kg' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : live && results.isSuccess && !shownError ? (
        <p className="muted">Nothing matches “{q}” yet: keep typing, or press Enter.</p>
      ) : null}
    </form>
  );
}
