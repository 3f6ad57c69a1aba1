/** The sync layer's public face: the till's ledger and outbox, HQ's ingest and event log. */
export * from './ledger.ts';
