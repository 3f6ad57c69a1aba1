/** Gift cards and store credit: what both sides share. The till side is in till/, HQ's ledger of record in hq/. */
export * from './code.ts';
