export * from './accounts.ts';
export * from './hq-client.ts';
