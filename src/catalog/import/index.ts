export * from './apply.ts';
export * from './consolidate.ts';
export * from './formats.ts';
export * from './read.ts';
export * from './record.ts';
export * from './similarity.ts';
export * from './summary.ts';
