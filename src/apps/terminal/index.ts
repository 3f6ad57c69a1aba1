export * from './api-schemas.ts';
export * from './catalog-search.ts';
export * from './identity.ts';
export * from './register-routes.ts';
export * from './routes.ts';
export * from './start.ts';
