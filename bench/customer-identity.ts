import { fileURLToPath } from 'node:url';
import { findDuplicates } from '../src/customers/duplicates.ts';
import { createIdentityIndex, identityProfile } from '../src/customers/identity.ts';
import { STORE_COUNTRIES, syntheticCustomers } from '../test/fixtures/customer-profiles.ts';
import { printTable } from './stats.ts';

/**
 * Customer identity at HQ's scale: normalising 10k and 100k synthetic profiles (phones through
 * libphonenumber), the exact-match index, and the probable-duplicate review queue with blocking, which
 * must take seconds where comparing every pair (5 billion at 100k) would take hours. Also prints the
 * finder's precision and recall on the planted duplicates at that size.
 */
function run(count: number): Record<string, string | number> {
  const { profiles: inputs, duplicates } = syntheticCustomers(7, count);
  let t = performance.now();
  const profiles = inputs.map((p) => identityProfile(p, STORE_COUNTRIES[p.storeId!]));
  const normaliseMs = performance.now() - t;
  t = performance.now();
  const groups = createIdentityIndex(profiles).exactGroups();
  const exactMs = performance.now() - t;
  t = performance.now();
  const cpu = process.cpuUsage();
  const { candidates, stats } = findDuplicates(profiles);
  const findMs = performance.now() - t;
  const spent = process.cpuUsage(cpu);
  const findCpuMs = (spent.user + spent.system) / 1000;
  const key = (a: string, b: string) => (a < b ? `${a}+${b}` : `${b}+${a}`);
  const planted = new Set(duplicates.map(([a, b]) => key(a, b)));
  const hits = candidates.filter((c) => planted.has(key(...c.customerIds))).length;
  return {
    profiles: count,
    'normalise (ms)': Math.round(normaliseMs),
    'exact groups': groups.length,
    'exact index (ms)': Math.round(exactMs),
    'pairs compared': stats.comparisons,
    'all pairs': (count * (count - 1)) / 2,
    'skipped blocks': stats.skippedBlocks,
    'find duplicates (ms)': Math.round(findMs),
    'find, CPU (ms)': Math.round(findCpuMs),
    flagged: candidates.length,
    precision: (hits / candidates.length).toFixed(3),
    recall: (hits / planted.size).toFixed(3),
    'heap (MB)': Math.round(process.memoryUsage().heapUsed / 1e6),
  };
}

export function benchCustomerIdentity(): Record<string, string | number>[] {
  return [run(10_000), run(100_000)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  printTable(
    'Customer identity: normalise, exact match, probable duplicates (one core)',
    benchCustomerIdentity(),
  );
}
