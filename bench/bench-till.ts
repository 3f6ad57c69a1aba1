import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollTerminal } from '../src/access/index.ts';
import { type RunningHq, startHq } from '../src/apps/hq/server.ts';
import { hqEventRegistry } from '../src/apps/shared/event-registry.ts';
import { DEMO_MANAGER, startTerminal } from '../src/apps/terminal/index.ts';
import { createLogger } from '../src/core/log.ts';
import { seedDemoChain } from '../src/demo/index.ts';

type Till = Awaited<ReturnType<typeof startTerminal>>;

/**
 * A real till enrolled with a real embedded HQ seeded with one store of 300 products, for benches that
 * time the till's paths. The outbox is kept quiet so only the measured path runs; both are closed and
 * the till's folder removed afterwards, whatever `run` does.
 */
export async function withBenchTill<T>(
  name: string,
  run: (ctx: { hq: RunningHq; till: Till; signedIn: Record<string, string> }) => Promise<T>,
  /** HQ's data beyond the demo store (promotions), written before the till pulls its catalog. */
  prepare?: (hq: RunningHq) => Promise<void>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `tally-bench-${name}-`));
  const logger = createLogger('bench', 'silent');
  const hq = await startHq({ port: 0, logger });
  try {
    await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 300 });
    await prepare?.(hq);
    const enrolled = await enrollTerminal(hq.db, { storeId: 'S001' });
    const till = await startTerminal({
      dataDir: dir,
      hqUrl: hq.url,
      ...enrolled,
      port: 0,
      logger,
      syncIntervalMs: 3_600_000,
      seedManager: DEMO_MANAGER, // the benches approve with the demo PIN 1234
    });
    try {
      // The benches work as the demo manager, signed in through the register API like the screen.
      const res = await fetch(`${till.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: DEMO_MANAGER.managerId, pin: DEMO_MANAGER.pin }),
      });
      const { sessionToken } = (await res.json()) as { sessionToken: string };
      return await run({ hq, till, signedIn: { authorization: `Bearer ${sessionToken}` } });
    } finally {
      await till.close();
    }
  } finally {
    await hq.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
