import type { TillsResponse } from '../../../contracts/index.ts';
import { formatAge, formatMoney, formatTime } from '../format.ts';
import { useTills } from '../queries.ts';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { sourceText } from '../ui/source.ts';

/** A till more than 15 minutes behind, or with events it could not send, needs a look. */
const LATE_SECONDS = 15 * 60;

type StoreTills = TillsResponse['stores'][number];

function StoreCard({ s, currency, src }: { s: StoreTills; currency: string; src: string }) {
  const short = s.cashDifferences.filter((d) => d.differenceMinor !== 0);
  return (
    <article className="till-store" data-testid="till-store" data-store={s.storeId}>
      <h3>
        {s.storeId} · {s.name}
      </h3>
      <p className="muted" title={src}>
        {s.terminals.length} till{s.terminals.length === 1 ? '' : 's'} · {s.openShifts} open shift
        {s.openShifts === 1 ? '' : 's'}
      </p>
      <ul className="terminals">
        {s.terminals.map((t) => {
          const late =
            t.lastSyncAt === null ||
            (t.lagSeconds ?? 0) > LATE_SECONDS ||
            (t.unsent ?? 0) > 0 ||
            t.conflicts > 0 ||
            t.quarantined > 0;
          return (
            <li key={t.terminalId} className={late ? 'late' : 'ok'} title={src}>
              <span className="dot" aria-hidden="true" />
              <span className="grow">{t.name ?? t.terminalId.slice(0, 8)}</span>
              <span>{t.unsent === null ? 'unsent ?' : `${t.unsent} unsent`}</span>
              <span title={`Last sync ${formatTime(t.lastSyncAt)}`}>
                {t.lagSeconds === null
                  ? t.lastSyncAt
                    ? 'lag unknown'
                    : 'never synced'
                  : t.lagSeconds === 0
                    ? 'up to date'
                    : `${formatAge(t.lagSeconds)} behind`}
              </span>
              {t.conflicts > 0 ? (
                <strong className="neg" data-testid="till-conflicts">
                  sync stopped: {t.conflicts} conflict{t.conflicts === 1 ? '' : 's'}
                </strong>
              ) : null}
              {t.quarantined > 0 ? (
                <strong className="neg" data-testid="till-quarantined">
                  {t.quarantined} quarantined
                </strong>
              ) : null}
            </li>
          );
        })}
      </ul>
      {short.length ? (
        <ul className="cash-diffs">
          {short.map((d) => (
            <li key={`${d.terminalId ?? ''}-${d.zNumber}`} title={src}>
              Z {d.zNumber} ({formatTime(d.closedAt)}):{' '}
              <strong className={d.differenceMinor < 0 ? 'neg' : 'pos'}>
                {d.differenceMinor > 0 ? '+' : ''}
                {formatMoney(d.differenceMinor, currency)}
              </strong>{' '}
              {d.differenceMinor < 0 ? 'short' : 'over'}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No cash differences on recent Z reports.</p>
      )}
    </article>
  );
}

export function TillsPanel({ store }: { store: string | undefined }) {
  const tills = useTills(store);
  return (
    <Panel title="Till health" source={tills.data?.source} testId="tills-panel" focus="tills">
      <QueryState
        query={tills}
        isEmpty={(t) => t.stores.length === 0}
        empty="No tills enrolled in this scope yet."
      >
        {(t) => (
          <div className="till-grid">
            {t.stores.map((s) => (
              <StoreCard key={s.storeId} s={s} currency={t.currency} src={sourceText(t.source)} />
            ))}
          </div>
        )}
      </QueryState>
    </Panel>
  );
}
