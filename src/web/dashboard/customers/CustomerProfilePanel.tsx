import type { ReactNode } from 'react';
import type { SessionUser } from '../../../contracts/index.ts';
import { formatMoney, formatTime } from '../format.ts';
import { Panel } from '../ui/Panel.tsx';
import { QueryState } from '../ui/QueryState.tsx';
import { ConsentEditor } from './ConsentEditor.tsx';
import {
  type CustomerProfile,
  customerPath,
  type ErasureReport,
  useCustomer,
  useCustomerScore,
  useLoyaltyStanding,
} from './customerApi.ts';
import { mayEraseCustomers, mayMergeCustomers } from './customerSearch.ts';
import type { CustomerAdminText } from './customerText.ts';
import { EraseCustomer } from './EraseCustomer.tsx';
import { MergedProfiles } from './MergedProfiles.tsx';

const Fact = ({ label, children }: { label: string; children: ReactNode }) => (
  <div>
    <dt>{label}</dt>
    <dd>{children}</dd>
  </div>
);

/** One person as HQ holds them: identifiers, purchases, loyalty, score, consent, merges and erasure. */
export function CustomerProfilePanel({
  id,
  user,
  t,
  onErased,
}: {
  id: string;
  user: SessionUser;
  t: CustomerAdminText;
  onErased: (r: ErasureReport) => void;
}) {
  const profile = useCustomer(id);
  return (
    <Panel
      title={profile.data?.personal?.name ?? t.profileTitle}
      testId="customer-profile"
      focus="profile"
      wide
    >
      <QueryState query={profile}>
        {(p) => <ProfileBody p={p} user={user} t={t} onErased={onErased} />}
      </QueryState>
    </Panel>
  );
}

function ProfileBody({
  p,
  user,
  t,
  onErased,
}: {
  p: CustomerProfile;
  user: SessionUser;
  t: CustomerAdminText;
  onErased: (r: ErasureReport) => void;
}) {
  const loyalty = useLoyaltyStanding(p.customerId);
  const score = useCustomerScore(p.customerId);
  const money = (minor: number) => (p.currency ? formatMoney(minor, p.currency) : String(minor));
  const mayErase = mayEraseCustomers(user);
  const mayMerge = mayMergeCustomers(user);
  const s = score.data;
  return (
    <div data-testid="customer-profile-body" data-customer={p.customerId}>
      {!p.personalFieldsReadable ? <p className="state empty">{t.unreadable}</p> : null}
      <dl className="customer-facts">
        <Fact label={t.name}>{p.personal?.name ?? '—'}</Fact>
        <Fact label={t.phone}>{p.personal?.phone ?? '—'}</Fact>
        <Fact label={t.email}>{p.personal?.email ?? '—'}</Fact>
        <Fact label={t.card}>{p.personal?.cardNumber ?? '—'}</Fact>
        <Fact label="ID">
          <code>{p.customerId}</code>
        </Fact>
        <Fact label={t.registered}>
          {[p.registeredStoreId, p.registeredAt ? formatTime(p.registeredAt) : ''].filter(Boolean).join(', ')}
        </Fact>
        <Fact label={t.storesVisited}>{p.storesVisited.join(', ') || '—'}</Fact>
        <Fact label={t.firstPurchase}>{p.firstPurchaseAt ? formatTime(p.firstPurchaseAt) : '—'}</Fact>
        <Fact label={t.lastPurchase}>{p.lastPurchaseAt ? formatTime(p.lastPurchaseAt) : '—'}</Fact>
        <Fact label={t.purchases}>{p.purchaseCount}</Fact>
        <Fact label={t.spend}>{money(p.spendMinor)}</Fact>
        <Fact label={t.returns}>{`${p.returnCount} (${money(p.refundMinor)})`}</Fact>
        <Fact label={t.tier}>{loyalty.data?.tier ?? '—'}</Fact>
        <Fact label={t.points}>{loyalty.data ? String(loyalty.data.balancePoints) : '—'}</Fact>
        <Fact label={t.segment}>{s ? s.segment : score.isPending ? '…' : t.notScored}</Fact>
        {s ? (
          <>
            <Fact label={t.pActive(s.horizonDays)}>{`${Math.round(s.pActive * 100)}%`}</Fact>
            <Fact label={t.expectedSpend(s.horizonDays)}>
              {formatMoney(s.expectedSpendMinor, s.currency)}
            </Fact>
          </>
        ) : null}
      </dl>
      <ConsentEditor profile={p} t={t} />
      {p.mergedIds?.length ? (
        <MergedProfiles survivorId={p.customerId} mergedIds={p.mergedIds} mayMerge={mayMerge} t={t} />
      ) : null}
      <div className="customer-actions">
        <a
          className="btn"
          href={customerPath(p.customerId, '/export')}
          download={`customer-${p.customerId}.json`}
          data-testid="customer-export"
        >
          {t.exportJson}
        </a>
        {mayErase ? <EraseCustomer customerId={p.customerId} t={t} onErased={onErased} /> : null}
      </div>
      {!mayErase || !mayMerge ? <p className="muted">{t.readOnly}</p> : null}
    </div>
  );
}
