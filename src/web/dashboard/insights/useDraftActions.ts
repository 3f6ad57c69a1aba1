import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DraftDetail } from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { draftPath } from '../queries.ts';

/**
 * Approve, reject and edit one draft. The server records who and when (the signed-in user); the answer
 * is the draft as it now stands, which replaces the cached one.
 */
export function useDraftActions(id: string) {
  const client = useQueryClient();
  const settle = (d: DraftDetail) => {
    client.setQueryData(['draft', id], d);
    void client.invalidateQueries({ queryKey: ['drafts'] });
    void client.invalidateQueries({ queryKey: ['briefing'] });
  };
  const approve = useMutation<DraftDetail, ApiError>({
    mutationFn: () => call<DraftDetail>('POST', draftPath(id, '/approve'), {}),
    onSuccess: settle,
  });
  const reject = useMutation<DraftDetail, ApiError, string>({
    mutationFn: (reason) => call<DraftDetail>('POST', draftPath(id, '/reject'), reason ? { reason } : {}),
    onSuccess: settle,
  });
  const edit = useMutation<DraftDetail, ApiError, { lineNo: number; qty: number }>({
    mutationFn: ({ lineNo, qty }) => call<DraftDetail>('PATCH', draftPath(id, `/lines/${lineNo}`), { qty }),
    onSuccess: settle,
  });
  return { approve, reject, edit };
}
