export * from './tax.ts';
