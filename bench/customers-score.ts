/**
 * `tally customers score` on the whole Online Retail file (converted once to the line format): wall time
 * and peak RSS of reading, training on earlier cutoffs and scoring every customer, at the development
 * window (as-of 2011-09-09, 90 days). `npx tsx bench/customers-score.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertOnlineRetail, findOnlineRetail, scoreFile } from '../src/intel/customers/index.ts';

export async function benchCustomersScore(): Promise<Record<string, string | number>[]> {
  const source = findOnlineRetail();
  if (!source) {
    console.log('customers score: online-retail data not present, skipped');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-customers-'));
  try {
    const lines = join(dir, 'lines.csv.gz');
    await convertOnlineRetail(source, lines, Date.parse('2011-09-09T00:00:00Z'));
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await scoreFile({
      transactions: lines,
      asOf: '2011-09-09',
      horizonDays: 90,
      out: join(dir, 'scores.csv'),
    });
    const cpu = process.cpuUsage(cpu0);
    return [
      {
        customers: result.scores.length,
        'training rows': result.model.trainRows,
        'wall s': Number(((performance.now() - t0) / 1000).toFixed(1)),
        'cpu s': Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
        'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024),
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.table(await benchCustomersScore());
}
