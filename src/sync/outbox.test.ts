import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../core/clock.ts';
import { openSqlite } from '../db/sqlite.ts';
import { type Ledger, openLedger } from '../sales/ledger.ts';
import { tillMigrations } from '../sales/schema.ts';
import { backoffMs, createOutbox } from './outbox.ts';
import { decodeBatch, type IngestBatch, type IngestResult, ingestBatchSchema } from './wire.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const clock = fixedClock('2026-03-02T09:00:00Z');
function tempLedger(): Ledger {
  const dir = mkdtempSync(join(tmpdir(), 'tally-outbox-'));
  dirs.push(dir);
  const db = openSqlite(join(dir, 'ledger.db'), tillMigrations);
  return openLedger({ db, storeId: 's1', terminalId: 'T1', clock, timeZone: () => 'UTC' });
}

function captureLogger(): { logger: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}

/** HQ's ingest as the wire contract describes it: stores each id once, reports the contiguous mark. */
function fakeHq() {
  const held = new Map<number, string>();
  const batches: IngestBatch[] = [];
  const headers: Headers[] = [];
  const script: ('ok' | '503' | '401' | 'network' | 'lose-reply')[] = [];
  const fetchFn = (async (_url: URL | string, init?: RequestInit) => {
    const step = script.shift() ?? 'ok';
    if (step === 'network') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    if (step === '503') return new Response('busy', { status: 503 });
    if (step === '401') return new Response('{}', { status: 401 });
    headers.push(new Headers(init?.headers));
    const batch = ingestBatchSchema.parse(decodeBatch(Buffer.from(init?.body as Uint8Array)));
    batches.push(batch);
    let accepted = 0;
    let duplicates = 0;
    for (const e of batch.events) {
      if (held.has(e.seq)) duplicates++;
      else {
        held.set(e.seq, e.id);
        accepted++;
      }
    }
    let heldUpTo = 0;
    while (held.has(heldUpTo + 1)) heldUpTo++;
    // The events are stored, but the reply never reaches the till.
    if (step === 'lose-reply') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    const result: IngestResult = { accepted, duplicates, rejected: [], heldUpTo, gaps: [] };
    return Response.json(result);
  }) as typeof fetch;
  return { fetchFn, held, batches, headers, script };
}

const fill = (ledger: Ledger, n: number): void => {
  for (let i = 0; i < n; i++) ledger.append('sale.completed', { i });
};

describe('outbox', () => {
  it('ships oldest first in batches, as gzip JSON with the token, and moves the mark to what HQ holds', async () => {
    const ledger = tempLedger();
    fill(ledger, 12);
    clock.advance(90_000);
    const hq = fakeHq();
    const outbox = createOutbox({
      ledger,
      hqUrl: 'http://hq.test',
      token: 'tok',
      logger: pino({ level: 'silent' }),
      clock,
      fetch: hq.fetchFn,
      batchSize: 5,
    });
    expect(outbox.status()).toMatchObject({ pending: 12, ackedUpTo: 0, lastSeq: 12, oldestAgeSeconds: 90 });
    const status = await outbox.flush();
    expect(hq.batches.map((b) => b.events.map((e) => e.seq))).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
      [11, 12],
    ]);
    expect(hq.batches[0]?.outbox).toEqual({ pending: 12, oldestAgeSeconds: 90 });
    expect(hq.headers[0]?.get('content-encoding')).toBe('gzip');
    expect(hq.headers[0]?.get('content-type')).toBe('application/json');
    expect(hq.headers[0]?.get('authorization')).toBe('Bearer tok');
    expect(status).toMatchObject({ pending: 0, ackedUpTo: 12, lastSeq: 12, lastError: null });
    expect(status.lastSyncAt).not.toBeNull();
    // The ledger keeps everything; only the mark moved.
    expect(ledger.range(1, 100)).toHaveLength(12);
    ledger.db.close();
  });

  it('retries after failures and lost replies without losing or duplicating an event at HQ', async () => {
    const ledger = tempLedger();
    fill(ledger, 9);
    const hq = fakeHq();
    hq.script.push('network', '503', 'ok', 'lose-reply', 'ok');
    const outbox = createOutbox({
      ledger,
      hqUrl: 'http://hq.test',
      token: 'tok',
      logger: pino({ level: 'silent' }),
      fetch: hq.fetchFn,
      batchSize: 4,
    });
    const first = await outbox.flush();
    expect(first.lastError).toMatch(/ECONNREFUSED/);
    expect(first.ackedUpTo).toBe(0);
    expect((await outbox.flush()).lastError).toMatch(/503/);
    const third = await outbox.flush(); // one batch in, then the reply to the second is lost
    expect(third).toMatchObject({ ackedUpTo: 4, lastError: expect.stringMatching(/ECONNRESET/) });
    const done = await outbox.flush();
    expect(done).toMatchObject({ pending: 0, ackedUpTo: 9, lastError: null });
    expect([...hq.held.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ids = ledger.range(1, 100).map((e) => e.id);
    expect([...hq.held.entries()].sort(([a], [b]) => a - b).map(([, id]) => id)).toEqual(ids);
    ledger.db.close();
  });

  it('on 401 tells the operator to re-enroll and keeps the events', async () => {
    const ledger = tempLedger();
    fill(ledger, 3);
    const hq = fakeHq();
    hq.script.push('401', '401', '401');
    const { logger, lines } = captureLogger();
    const outbox = createOutbox({
      ledger,
      hqUrl: 'http://hq.test',
      token: 'old',
      logger,
      fetch: hq.fetchFn,
      minBackoffMs: 1,
      maxBackoffMs: 5,
    });
    expect(await outbox.flush()).toMatchObject({
      pending: 3,
      ackedUpTo: 0,
      lastError: expect.stringMatching(/re-enroll/),
    });
    outbox.start();
    await vi.waitFor(() => expect(hq.held.size).toBe(3));
    await outbox.stop();
    expect(lines.some((l) => l.level === 50 && /re-enroll/.test(l.msg))).toBe(true);
    expect(outbox.status()).toMatchObject({ pending: 0, ackedUpTo: 3 });
    ledger.db.close();
  });

  it('runs in the background: ships new sales as they commit and backs off on failure', async () => {
    const ledger = tempLedger();
    const hq = fakeHq();
    hq.script.push('503', 'network');
    const outbox = createOutbox({
      ledger,
      hqUrl: 'http://hq.test',
      token: 'tok',
      logger: pino({ level: 'silent' }),
      fetch: hq.fetchFn,
      minBackoffMs: 1,
      maxBackoffMs: 4,
      idleMs: 60_000,
    });
    outbox.start();
    fill(ledger, 2);
    await vi.waitFor(() => expect(hq.held.size).toBe(2));
    fill(ledger, 1); // idle is a minute long: only the wake-up on commit ships this one
    await vi.waitFor(() => expect(hq.held.size).toBe(3));
    await outbox.stop();
    expect(outbox.status()).toMatchObject({ pending: 0, ackedUpTo: 3 });
    ledger.db.close();
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
