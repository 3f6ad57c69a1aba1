import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { catalogOnlyHq } from '../../../test/helpers/offline-till.ts';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { fuzzProducts } from '../../../test/helpers/till-routes.ts';
import { asCashier } from '../../../test/helpers/till-session.ts';
import { createLogger } from '../../core/log.ts';
import { createHttpApp } from '../shared/http.ts';
import { startTerminal } from './start.ts';

/**
 * The till's folder holds customers' names, phones and emails (ledger.db) and its secrets
 * (terminal.json, setup-token): it and those files are the owner's alone, from a fresh start and
 * after a start on a folder an older build left readable by everyone. Logs never hold a secret.
 */
const tempDir = tempDirs('at-rest');
const mode = (p: string) => statSync(p).mode & 0o777;

/** A pino logger whose lines the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

async function runTill(dataDir: string, logger = pino({ level: 'silent' })) {
  const till = await startTerminal({
    dataDir,
    hqUrl: 'http://hq.test',
    token: 'terminal-secret-token',
    storeId: 's1',
    terminalId: 'T1',
    port: 0,
    logger,
    fetch: catalogOnlyHq(fuzzProducts),
    syncIntervalMs: 60_000,
    seedManager: false,
  });
  // A customer and a sale, so ledger.db and its WAL hold personal data.
  const cashier = await asCashier(till);
  const post = (url: string, body: object) =>
    till.app.inject({ method: 'POST', url, payload: body, headers: cashier });
  await post('/api/v1/customers', { name: 'Ana Weber', phone: '+49 30 1234567', email: 'ana@example.org' });
  await post('/api/v1/shifts', { cashierId: 'alice', openingFloatMinor: 0 });
  return till;
}

const PRIVATE = ['ledger.db', 'ledger.db-wal', 'ledger.db-shm', 'catalog.db', 'terminal.json', 'setup-token'];

describe('a till keeps personal data and secrets owner-only', () => {
  it('creates its folder 0700 and every file in it 0600 on a fresh start', async () => {
    const dir = join(tempDir(), 'till');
    const till = await runTill(dir);
    try {
      expect(mode(dir)).toBe(0o700);
      const files = readdirSync(dir);
      for (const f of PRIVATE) expect(files).toContain(f);
      for (const f of files) expect({ f, mode: mode(join(dir, f)) }).toEqual({ f, mode: 0o600 });
    } finally {
      await till.close();
    }
  });

  it('tightens a folder an older build left world-readable, and says what it fixed', async () => {
    const dir = join(tempDir(), 'till');
    await (await runTill(dir)).close();
    chmodSync(dir, 0o755);
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
    const loosened = readdirSync(dir).length + 1; // and the folder
    const { logger, lines } = capturingLogger();
    const till = await runTill(dir, logger);
    try {
      expect(mode(dir)).toBe(0o700);
      for (const f of readdirSync(dir)) expect({ f, mode: mode(join(dir, f)) }).toEqual({ f, mode: 0o600 });
      const warning = lines
        .map((l) => JSON.parse(l) as { msg: string; tightened?: number })
        .find((l) => l.tightened);
      expect(warning?.msg).toMatch(/owner-only/);
      expect(warning?.tightened).toBe(loosened);
    } finally {
      await till.close();
    }
  });

  it('leaves files of a chosen folder that are not its own alone', async () => {
    const dir = tempDir();
    const mine = join(dir, 'notes.txt');
    (await import('node:fs')).writeFileSync(mine, 'shopping list', { mode: 0o644 });
    chmodSync(mine, 0o644);
    await (await runTill(dir)).close();
    expect(mode(mine)).toBe(0o644);
    expect(mode(join(dir, 'ledger.db'))).toBe(0o600);
  });
});

describe('logs hold no secret', () => {
  it('redacts bearer tokens, manager PINs, setup tokens and token fields', () => {
    const lines: string[] = [];
    const log = createLogger(
      'test',
      'info',
      new Writable({
        write(c, _e, done) {
          lines.push(String(c));
          done();
        },
      }),
    );
    log.info(
      {
        req: {
          headers: { authorization: 'Bearer sekret-1', 'x-manager-pin': '9731', 'x-setup-token': 'sekret-2' },
        },
        token: 'sekret-3',
        terminal: { token: 'sekret-4' },
        pin: '9731',
        adminToken: 'sekret-5',
      },
      'a request',
    );
    const out = lines.join('');
    expect(out).toContain('a request');
    expect(out).not.toMatch(/sekret|9731/);
    expect(out).toContain('[redacted]');
  });

  it("keeps a route's request log free of the Authorization and X-Manager-PIN headers", async () => {
    const { logger, lines } = capturingLogger();
    const app = await createHttpApp({ title: 't', description: 'd', logger });
    app.get('/echo', async (req) => {
      req.log.info({ headers: req.headers, req: { headers: req.headers } }, 'seen');
      return { ok: true };
    });
    await app.inject({
      method: 'GET',
      url: '/echo',
      headers: { authorization: 'Bearer sekret-6', 'x-manager-pin': '4711' },
    });
    await app.close();
    const out = lines.join('');
    expect(out).toContain('seen');
    expect(out).not.toMatch(/sekret|4711/);
  });
});
