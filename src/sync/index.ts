export * from '../contracts/wire.ts';
