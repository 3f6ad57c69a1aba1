import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tamper } from '../../../test/helpers/ledger-tamper.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';

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

describe('tally terminal verify-ledger', () => {
  it('says the ledger is intact, and after an edit with SQL names the sale altered with exit code 2', () => {
    dir = mkdtempSync(join(tmpdir(), 'tally-verify-cli-'));
    writeFileSync(
      join(dir, 'terminal.json'),
      JSON.stringify({ storeId: 's1', terminalId: 'T1', token: 'tok', hqUrl: 'http://hq.test' }),
    );
    const { db, ledger } = openTestLedger(join(dir, 'ledger.db'));
    for (let i = 1; i <= 3; i++) ledger.append('sale.completed', { saleId: `s${i}`, grossMinor: 100 * i });
    db.close();

    const intact = tally(['terminal', 'verify-ledger', '--data', dir]);
    expect(intact.code).toBe(0);
    expect(intact.out).toContain('terminal T1: 3 event(s) read, last seq 3, chained from seq 1');
    expect(intact.out).toContain('ledger intact');

    const again = openTestLedger(join(dir, 'ledger.db'));
    const second = again.ledger.range(2, 1)[0]!;
    tamper(again.db, 'T1', { kind: 'alter', seq: 2 }, () => second);
    again.db.close();
    const tampered = tally(['terminal', '--data', dir, 'verify-ledger']);
    expect(tampered.code).toBe(2);
    expect(tampered.out).toContain(
      `LEDGER TAMPERED: altered at seq 2: event ${second.id} at seq 2 was altered after it was written`,
    );
  });
});
