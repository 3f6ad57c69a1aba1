import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type ApiError, call } from '../api.ts';
import { formatTime } from '../format.ts';
import { Panel } from '../ui/Panel.tsx';
import { FieldError, QueryState } from '../ui/QueryState.tsx';
import { CUSTOMER_PATHS, type CustomerSummary, type DuplicatePair, useDuplicates } from './customerApi.ts';
import { survivorOf } from './customerSearch.ts';
import type { CustomerAdminText } from './customerText.ts';

const label = (c: CustomerSummary): string => c.name ?? c.email ?? c.phone ?? c.customerId.slice(0, 8);

/**
 * The probable-duplicate queue, asked when the reviewer opens it: each pair with its score and reasons
 * and who the two are; a reviewer who may merge keeps the profile registered first or says they are
 * two people (the pair then leaves the queue for good).
 */
export function DuplicatesPanel({
  t,
  mayMerge,
  startOpen,
  onOpen,
}: {
  t: CustomerAdminText;
  mayMerge: boolean;
  startOpen: boolean;
  onOpen: (id: string) => void;
}) {
  const [asked, setAsked] = useState(startOpen);
  const pairs = useDuplicates(asked);
  return (
    <Panel title={t.duplicatesTitle} testId="duplicates-panel" focus="duplicates" wide>
      {!asked ? (
        <button type="button" className="btn" onClick={() => setAsked(true)}>
          {t.findDuplicates}
        </button>
      ) : (
        <QueryState query={pairs} isEmpty={(ps) => ps.length === 0} empty={t.noDuplicates}>
          {(ps) => (
            <ul className="plain" data-testid="duplicate-pairs">
              {ps.map((p) => (
                <PairRow key={p.customerIds.join('|')} pair={p} t={t} mayMerge={mayMerge} onOpen={onOpen} />
              ))}
            </ul>
          )}
        </QueryState>
      )}
    </Panel>
  );
}

function PairRow({
  pair,
  t,
  mayMerge,
  onOpen,
}: {
  pair: DuplicatePair;
  t: CustomerAdminText;
  mayMerge: boolean;
  onOpen: (id: string) => void;
}) {
  const client = useQueryClient();
  const decide = useMutation<unknown, ApiError, () => Promise<unknown>>({
    mutationFn: (send) => send(),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['customer-duplicates'] });
      void client.invalidateQueries({ queryKey: ['customer'] });
      void client.invalidateQueries({ queryKey: ['customer-search'] });
    },
  });
  const [a, b] = pair.people;
  const reason = pair.reasons.join('; ').slice(0, 200) || 'duplicate review';
  return (
    <li className="duplicate-pair" data-testid="duplicate-pair" data-pair={pair.customerIds.join('|')}>
      <p>
        <strong>
          {t.score} {Math.round(pair.score * 100)}%
        </strong>{' '}
        ({pair.kind}) — {t.reasons}: {pair.reasons.join('; ')}
      </p>
      <div className="pair-people">
        {pair.people.map((c) => (
          <div key={c.customerId}>
            <button type="button" className="btn small ghost" onClick={() => onOpen(c.customerId)}>
              {label(c)}
            </button>
            <div className="muted">
              {[c.phone, c.email, c.cardNumber].filter(Boolean).join(' · ')}
              <br />
              {t.registered}:{' '}
              {[c.registeredStoreId, c.registeredAt ? formatTime(c.registeredAt) : ''].join(' ')} ·{' '}
              {t.purchases}: {c.purchaseCount}
            </div>
          </div>
        ))}
      </div>
      {mayMerge && a && b ? (
        <div className="pair-actions">
          {(() => {
            const [survivor, merged] = survivorOf(a, b);
            return (
              <button
                type="button"
                className="btn small primary"
                disabled={decide.isPending}
                onClick={() =>
                  decide.mutate(() =>
                    call('POST', CUSTOMER_PATHS.merge, {
                      survivorId: survivor.customerId,
                      mergedId: merged.customerId,
                      reason,
                    }),
                  )
                }
              >
                {t.merge(
                  survivor.registeredStoreId
                    ? `${label(survivor)} (${survivor.registeredStoreId})`
                    : label(survivor),
                )}
              </button>
            );
          })()}
          <button
            type="button"
            className="btn small"
            disabled={decide.isPending}
            onClick={() =>
              decide.mutate(() =>
                call('POST', CUSTOMER_PATHS.dismiss, { customerIds: pair.customerIds, reason }),
              )
            }
          >
            {t.dismiss}
          </button>
          <FieldError error={decide.error} />
        </div>
      ) : null}
    </li>
  );
}
