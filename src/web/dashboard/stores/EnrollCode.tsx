import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  type EnrollmentCode,
  enrollCommand,
  enrollmentQrText,
  type StoreFormat,
} from '../../../contracts/index.ts';
import { type ApiError, call } from '../api.ts';
import { STORE_PATHS } from '../queries.ts';
import { FieldError } from '../ui/QueryState.tsx';
import { QrCode } from './QrCode.tsx';

/**
 * A one-time code to enroll a till at `storeId`: the code as text (to read out or type), the same as a
 * QR code with HQ's address (for a scanner at the till), when it expires, and the exact command to run
 * there. HQ keeps only the code's hash, so it is shown here once.
 */
export function EnrollCode({ storeId, format }: { storeId: string; format: StoreFormat }) {
  const client = useQueryClient();
  const issue = useMutation<EnrollmentCode, ApiError>({
    mutationFn: () => call<EnrollmentCode>('POST', STORE_PATHS.codes, { storeId }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['terminals', storeId] }),
  });
  const hq = window.location.origin;
  const code = issue.data;
  return (
    <div className="enroll" data-testid="enroll">
      <button
        type="button"
        className="btn small primary"
        onClick={() => issue.mutate()}
        disabled={issue.isPending}
      >
        {code ? 'New enrollment code' : 'Enroll a till'}
      </button>
      <FieldError error={issue.error} />
      {code ? (
        <div className="enroll-code" data-testid="enroll-code">
          <QrCode
            text={enrollmentQrText(hq, code.code)}
            label={`Enrollment QR code for a till of ${storeId}`}
          />
          <div>
            <p>
              Code for a till of <strong>{storeId}</strong>, valid once until{' '}
              <time dateTime={code.expiresAt} data-testid="enroll-expires">
                {format.dateTime(code.expiresAt)}
              </time>
              :
            </p>
            <p className="code-text" data-testid="enroll-code-text">
              {code.code}
            </p>
            <p>At the till, run this and type (or scan) the code when asked:</p>
            <pre data-testid="enroll-command">{enrollCommand(hq)}</pre>
            <p className="muted">
              Add --hq-ca with the chain's CA file when HQ serves HTTPS (docs/NETWORK.md).
            </p>
          </div>
        </div>
      ) : null}
    </div>
  );
}
