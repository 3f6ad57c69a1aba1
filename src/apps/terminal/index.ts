export * from './identity.ts';
export * from './routes.ts';
export * from './start.ts';
