import { useState } from 'react';
import {
  IMPORT_KINDS,
  IMPORT_UPDATE_FIELDS,
  type ImportReport,
  type ImportRequest,
} from '../../../contracts/index.ts';
import { ApiError, call } from '../api.ts';
import { ImportReportView } from './ImportReportView.tsx';

type Kind = (typeof IMPORT_KINDS)[number];
type Field = (typeof IMPORT_UPDATE_FIELDS)[number];

/**
 * CSV import of a legacy catalog (Shopify, Square, Lightspeed): pick the files and options, run the
 * dry run, read what it would do, then apply exactly that plan (HQ refuses a stale one with 409).
 */
export function ImportPanel() {
  const [kind, setKind] = useState<Kind>('shopify');
  const [files, setFiles] = useState<{ kind: Kind; name: string; content: string }[]>([]);
  const [taxClassMap, setTaxClassMap] = useState('*=standard');
  const [taxRateBp, setTaxRateBp] = useState('');
  const [update, setUpdate] = useState<Field[]>([]);
  const [report, setReport] = useState<ImportReport | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const request = (dryRun: boolean): ImportRequest => ({
    files,
    options: { taxClassMap, update, ...(taxRateBp.trim() !== '' ? { taxRateBp: Number(taxRateBp) } : {}) },
    dryRun,
    ...(dryRun ? {} : { planId: report?.planId }),
  });
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      setReport(await call<ImportReport>('POST', 'catalog/imports', request(dryRun)));
    } catch (err) {
      setError(
        err instanceof ApiError && err.field
          ? `${err.field}: ${err.message}`
          : String((err as Error).message),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="import-panel" data-testid="import-panel">
      <h3>Import a catalog</h3>
      <label>
        Source{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="import-kind">
          {IMPORT_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>{' '}
      <input
        type="file"
        accept=".csv,text/csv"
        multiple
        data-testid="import-files"
        onChange={async (e) => {
          const picked = [...(e.target.files ?? [])];
          setFiles(
            await Promise.all(picked.map(async (f) => ({ kind, name: f.name, content: await f.text() }))),
          );
          setReport(undefined);
        }}
      />
      <div>
        <label>
          Tax class map{' '}
          <input
            value={taxClassMap}
            onChange={(e) => setTaxClassMap(e.target.value)}
            data-testid="import-tax-map"
          />
        </label>{' '}
        <label>
          Fallback rate (bp){' '}
          <input
            value={taxRateBp}
            onChange={(e) => setTaxRateBp(e.target.value)}
            inputMode="numeric"
            size={6}
          />
        </label>
      </div>
      <fieldset>
        <legend>Update on products HQ holds</legend>
        {IMPORT_UPDATE_FIELDS.map((f) => (
          <label key={f}>
            <input
              type="checkbox"
              checked={update.includes(f)}
              onChange={(e) => setUpdate(e.target.checked ? [...update, f] : update.filter((x) => x !== f))}
            />
            {f}{' '}
          </label>
        ))}
      </fieldset>
      <button
        type="button"
        disabled={busy || files.length === 0}
        onClick={() => run(true)}
        data-testid="import-dry-run"
      >
        Dry run
      </button>{' '}
      <button
        type="button"
        disabled={busy || !report || report.applied || report.counts.needsDecision > 0}
        onClick={() => run(false)}
        data-testid="import-apply"
      >
        Apply this plan
      </button>
      {error ? (
        <p className="error" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      {report ? <ImportReportView report={report} /> : null}
    </section>
  );
}
