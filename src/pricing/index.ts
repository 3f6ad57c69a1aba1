export * from './cart.ts';
export * from './price-cart.ts';
export type { SearchOptions, SearchStats } from './promotions/combine.ts';
export { compilePromotions, type PromotionBook } from './promotions/compile.ts';
export type { AppliedPromotion, LineDiscount } from './promotions/explain.ts';
export * from './promotions/schema.ts';
export * from './tax.ts';
export * from './tax-engine.ts';
export * from './tax-schema.ts';
