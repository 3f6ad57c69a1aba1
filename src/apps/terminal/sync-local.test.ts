import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { tillSyncState } from '../../sync/till/till-sync-state.ts';

// Each CLI run starts tsx; on the shared 2-core machine that can take several seconds.
vi.setConfig({ testTimeout: 120_000 });

const TALLY = fileURLToPath(new URL('../../../bin/tally.js', import.meta.url));
const tally = (args: string[]) => {
  const r = spawnSync(process.execPath, [TALLY, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('tally terminal sync-status', () => {
  it('prints why sync stopped with exit code 2, and --retry clears it only with a name', () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-sync-cli-'));
    writeFileSync(
      join(dir, 'terminal.json'),
      JSON.stringify({ storeId: 's1', terminalId: 'T1', token: 'tok', hqUrl: 'http://hq.test' }),
    );
    const { db, ledger } = openTestLedger(join(dir, 'ledger.db'));
    for (let i = 0; i < 3; i++) ledger.append('sale.completed', { i });
    ledger.markAcked(1);
    tillSyncState(db, 'T1', () => new Date()).record([
      { eventId: 'e2', seq: 2, kind: 'conflict', reason: 'seq 2 is held under another event' },
    ]);
    db.close();

    const stopped = tally(['terminal', 'sync-status', '--data', dir]);
    expect(stopped.code).toBe(2);
    expect(stopped.out).toContain('state: conflict');
    expect(stopped.out).toContain('conflict at seq 2 (event e2): seq 2 is held under another event');
    expect(stopped.out).toMatch(/Keep selling.*--retry --by/);

    const nameless = tally(['terminal', '--data', dir, 'sync-status', '--retry']);
    expect(nameless.code).toBe(2);
    expect(nameless.err).toContain('--by');

    const retried = tally([
      'terminal',
      '--data',
      dir,
      'sync-status',
      '--retry',
      '--by',
      'Ana Weber',
      '--json',
    ]);
    expect(retried.code).toBe(0);
    expect(retried.err).toContain('cleared 1 conflict(s)');
    // Cleared, never skipped: the mark is where it was and both events still wait.
    expect(JSON.parse(retried.out)).toMatchObject({
      state: 'sending',
      ackedUpTo: 1,
      pending: 2,
      conflicts: [],
    });
  });
});
