export { hq0001Initial } from './migrations/0001_initial.ts';
