import { useQuery } from '@tanstack/react-query';
import { type ApiError, apiText } from './api.ts';
import { FieldError } from './ui.tsx';

/** A slip as the printer prints it (text from the till): a refund slip, a gift card slip, a receipt. */
export function Slip({ path, testId, label }: { path: string; testId: string; label: string }) {
  const slip = useQuery({ queryKey: ['slip', path], queryFn: () => apiText(path), staleTime: Infinity });
  return (
    <>
      <pre className="receipt" data-testid={testId} title={label}>
        {slip.data ?? (slip.isPending ? 'Loading…' : '')}
      </pre>
      <FieldError error={(slip.error as ApiError | null) ?? undefined} />
    </>
  );
}
