import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type ApiError, call } from '../api.ts';
import { formatTime } from '../format.ts';
import { DataTable } from '../ui/DataTable.tsx';
import { Panel } from '../ui/Panel.tsx';
import { FieldError } from '../ui/QueryState.tsx';
import { customerPath, type ErasureReport } from './customerApi.ts';
import { eraseCode } from './customerSearch.ts';
import type { CustomerAdminText } from './customerText.ts';

/**
 * Erasure in two steps: open it, then type the customer's short code to arm the button, so a slip of
 * the mouse erases nobody. HQ answers the report of every place it checked.
 */
export function EraseCustomer({
  customerId,
  t,
  onErased,
}: {
  customerId: string;
  t: CustomerAdminText;
  onErased: (r: ErasureReport) => void;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const code = eraseCode(customerId);
  const erase = useMutation<ErasureReport, ApiError>({
    mutationFn: () => call('POST', customerPath(customerId, '/erase')),
    onSuccess: onErased,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim() === code) erase.mutate();
  };
  if (!open)
    return (
      <button type="button" className="btn danger" onClick={() => setOpen(true)}>
        {t.eraseStart}
      </button>
    );
  return (
    <form className="erase-confirm" onSubmit={submit} data-testid="erase-confirm">
      <p>{t.eraseWarning}</p>
      <label>
        {t.eraseConfirmLabel(code)}{' '}
        <input
          id="erase-code"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <button type="submit" className="btn danger" disabled={typed.trim() !== code || erase.isPending}>
        {t.eraseConfirm}
      </button>
      <button type="button" className="btn ghost" onClick={() => setOpen(false)}>
        {t.cancel}
      </button>
      <FieldError error={erase.error} />
    </form>
  );
}

export function ErasureReportPanel({
  report,
  t,
  onClose,
}: {
  report: ErasureReport;
  t: CustomerAdminText;
  onClose: () => void;
}) {
  return (
    <Panel
      title={t.reportTitle(report.customerId)}
      testId="erasure-report"
      focus="erasure"
      wide
      actions={
        <button type="button" className="btn small ghost" onClick={onClose}>
          {t.close}
        </button>
      }
    >
      <p>
        {formatTime(report.erasedAt)}
        {report.alreadyErased ? ` — ${t.alreadyErased}` : ''}
      </p>
      <DataTable
        rows={report.places}
        rowKey={(p) => `${report.places.indexOf(p)}|${p.place}`}
        caption={t.reportTitle(report.customerId)}
        empty="—"
        testId="erasure-places"
        columns={[
          { label: t.place, cell: (p) => p.place },
          { label: t.found, num: true, cell: (p) => p.found },
          { label: t.removed, num: true, cell: (p) => p.removed },
          { label: t.note, cell: (p) => p.note ?? '' },
        ]}
      />
    </Panel>
  );
}
