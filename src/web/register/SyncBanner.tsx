import type { SyncStatus } from '../../contracts/index.ts';
import { syncBannerText } from './sync-banner.ts';

/** Under the top bar while sync has stopped or the ledger looks rolled back; gone when all is well. */
export function SyncBanner({ status }: { status: SyncStatus | undefined }) {
  const text = syncBannerText(status);
  if (!text) return null;
  return (
    <div className={`banner sync-stopped ${text.tone}`} role="alert" data-testid="sync-banner">
      <strong>{text.title}</strong>
      <span className="sync-action">{text.detail}</span>
    </div>
  );
}
