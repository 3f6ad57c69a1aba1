import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api.ts';

/**
 * Loading, failure and empty for one query, so no panel is ever blank without saying why. A 403 says
 * plainly that the data is outside the user's stores.
 */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending)
    return (
      <div className="state loading" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> Loading…
      </div>
    );
  if (query.isError) return <ErrorNote error={query.error} />;
  if (isEmpty?.(query.data))
    return (
      <div className="state empty" data-testid="empty">
        {empty ?? 'Nothing to show yet.'}
      </div>
    );
  return <>{children(query.data)}</>;
}

export function ErrorNote({ error }: { error: unknown }) {
  const e = error instanceof ApiError ? error : undefined;
  const text =
    e?.status === 403
      ? `Not allowed: ${e.message}`
      : e?.status === 404
        ? e.message.charAt(0).toUpperCase() + e.message.slice(1)
        : `Could not load this: ${error instanceof Error ? error.message : String(error)}`;
  return (
    <div className={`state ${e?.status === 404 ? 'empty' : 'error'}`} role="alert" data-code={e?.code}>
      {text}
    </div>
  );
}

/** The API's message under the field it is about. */
export function FieldError({ error, id }: { error: ApiError | undefined | null; id?: string }) {
  if (!error) return null;
  return (
    <p className="field-error" role="alert" id={id} data-field={error.field ?? ''}>
      {error.message}
    </p>
  );
}
