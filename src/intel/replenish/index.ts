/** Replenishment: the policy, lists and draft purchase orders other modules and apps may use. */
export { buildDrafts, type DraftLine, type DraftLineInputs, type DraftOrder, explain } from './drafts.ts';
export {
  daysOfCover,
  defaultPolicy,
  emptyBatch,
  FLAG_CAPACITY,
  FLAG_EXTRAPOLATED,
  FLAG_NO_EOQ,
  type PolicyParams,
  type ReplenishBatch,
  type ReplenishResult,
  replenish,
} from './engine.ts';
export { replenishFromHq } from './hq-inputs.ts';
export { type ForecastRows, inputDefaults, type ReplenishInput, toBatch } from './inputs.ts';
export { buildLists, defaultListOptions, type ListOptions, type Lists } from './lists.ts';
export { allocateDeliveries, onOrderByItem } from './on-order.ts';
export { onOrderFromDrafts, settleDeliveries } from './on-order-store.ts';
export { eoq, fillRateCount, lotSize, orderNow, reorderPoint, type ServiceTarget } from './policy.ts';
export { runReplenishFiles } from './run-files.ts';
export { sampleDrafts } from './sample-drafts.ts';
export {
  approveDraft,
  cancelDraft,
  countDrafts,
  type DraftFilter,
  type DraftStatus,
  type DraftSummary,
  editLine,
  getDraft,
  type LineChange,
  listDrafts,
  rejectDraft,
  type StoredDraft,
  saveDrafts,
} from './store.ts';
