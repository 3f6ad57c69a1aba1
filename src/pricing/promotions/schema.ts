import { type Promotion, promotionListSchema } from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';

/**
 * The promotion schema lives in contracts (the dashboard validates drafts with it); the engine keeps
 * its parser here, which turns the first problem into an error naming the field.
 */
export {
  basketKinds,
  groupedKinds,
  type ItemSelector,
  itemSelectorSchema,
  type Promotion,
  type PromotionInput,
  type PromotionKind,
  promotionListSchema,
  promotionSchema,
  type Stacking,
  stackingSchema,
  weekdays,
} from '../../contracts/index.ts';

/** "promotions[3].buy.qty" from a zod path, so the error names the field the way a person reads it. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : `${s}.${String(k)}`), root);
}

/** Validates promotion definitions, throwing `invalid('promotions[i].field', …)` on the first problem. */
export function parsePromotions(input: unknown, root = 'promotions'): Promotion[] {
  const r = promotionListSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalid(fieldPath(root, issue.path), issue.message);
}
