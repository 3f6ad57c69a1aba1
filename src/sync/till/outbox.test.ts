import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../../test/helpers/temp-dirs.ts';
import { openTestLedger } from '../../../test/helpers/till-ledger.ts';
import { type IngestBatch, type IngestResult, ingestBatchSchema } from '../../contracts/wire.ts';
import { fixedClock } from '../../core/clock.ts';
import type { Ledger } from '../ledger.ts';
import { backoffMs, createOutbox } from './outbox.ts';
import { decodeBatch } from './wire-codec.ts';

const tempDir = tempDirs('outbox');

const clock = fixedClock('2026-03-02T09:00:00Z');
const tempLedger = (dir = tempDir()): Ledger => openTestLedger(join(dir, 'ledger.db'), { clock }).ledger;

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
  const script: ('ok' | '503' | '401' | 'revoked' | 'network' | 'lose-reply')[] = [];
  let calls = 0;
  const fetchFn = (async (_url: URL | string, init?: RequestInit) => {
    const step = script.shift() ?? 'ok';
    calls++;
    if (step === 'revoked')
      return Response.json(
        {
          error: 'terminal_revoked',
          message: 'this till was revoked at HQ: reported stolen',
          field: 'terminal',
        },
        { status: 401 },
      );
    if (step === 'network') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    if (step === '503') return new Response('busy', { status: 503 });
    if (step === '401') return new Response('{}', { status: 401 });
    headers.push(new Headers(init?.headers));
    const batch = ingestBatchSchema.parse(decodeBatch(Buffer.from(init?.body as Uint8Array)));
    batches.push(batch);
    let accepted = 0;
    let duplicates = 0;
    const rejected: IngestResult['rejected'] = [];
    for (const e of batch.events) {
      const other = held.get(e.seq);
      if (other === e.id) duplicates++;
      else if (other !== undefined)
        rejected.push({
          id: e.id,
          seq: e.seq,
          reason: `seq ${e.seq} is held under ${other}`,
          ...conflictKind,
        });
      else {
        held.set(e.seq, e.id);
        accepted++;
        if (quarantine.has(e.seq))
          rejected.push({ id: e.id, seq: e.seq, reason: 'amount out of range', kind: 'quarantined' });
      }
    }
    let heldUpTo = 0;
    while (held.has(heldUpTo + 1)) heldUpTo++;
    // The events are stored, but the reply never reaches the till.
    if (step === 'lose-reply') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    const result: IngestResult = { accepted, duplicates, rejected, heldUpTo, gaps: [] };
    return Response.json(result);
  }) as typeof fetch;
  /** Seqs HQ holds but quarantines; `conflictKind` {} plays an older HQ that sends no kind. */
  const quarantine = new Set<number>();
  const conflictKind: { kind?: 'conflict' } = { kind: 'conflict' };
  return { fetchFn, held, batches, headers, script, quarantine, conflictKind, calls: () => calls };
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

  it('a till restored from a backup stops at the first seq HQ holds under another sale, keeps its sales, and still says so after a restart', async () => {
    const dir = tempDir();
    const ledger = tempLedger(dir);
    fill(ledger, 5);
    const hq = fakeHq();
    // HQ got seqs 1–7 before the restore: 1–3 are this ledger's, 4–7 sales the restored copy lost.
    const own = ledger.range(1, 3);
    for (const e of own) hq.held.set(e.seq, e.id);
    for (const seq of [4, 5, 6, 7]) hq.held.set(seq, `lost-${seq}`);
    hq.conflictKind.kind = undefined; // an older HQ: no kind, so a conflict
    delete hq.conflictKind.kind;
    const { logger, lines } = captureLogger();
    const opts = { hqUrl: 'http://hq.test', token: 'tok', logger, clock, fetch: hq.fetchFn };
    const outbox = createOutbox({ ledger, ...opts });
    const status = await outbox.flush();
    expect(status).toMatchObject({
      state: 'conflict',
      ackedUpTo: 3,
      pending: 2,
      conflicts: [{ seq: 4 }, { seq: 5 }],
      action: expect.stringMatching(/stopped sending.*Keep selling/),
    });
    expect(lines.some((l) => l.level === 50 && /conflict/.test(l.msg))).toBe(true);
    // The till keeps selling; nothing more goes to HQ, and HQ's own events are untouched.
    fill(ledger, 1);
    const posts = hq.batches.length;
    expect((await outbox.flush()).pending).toBe(3);
    expect(hq.batches.length).toBe(posts);
    expect(hq.held.get(4)).toBe('lost-4');
    ledger.db.close();

    const again = tempLedger(dir);
    const after = createOutbox({ ledger: again, ...opts });
    expect(after.status()).toMatchObject({ state: 'conflict', ackedUpTo: 3, lastSeq: 6 });
    expect((await after.flush()).ackedUpTo).toBe(3);
    expect(hq.batches.length).toBe(posts);
    expect(again.range(1, 100)).toHaveLength(6);
    again.db.close();
  });

  it('after an operator retries, the till asks HQ again without ever moving past the conflict', async () => {
    const ledger = tempLedger();
    fill(ledger, 4);
    const hq = fakeHq();
    hq.held.set(2, 'someone-else');
    const outbox = createOutbox({
      ledger,
      hqUrl: 'http://hq.test',
      token: 'tok',
      logger: pino({ level: 'silent' }),
      fetch: hq.fetchFn,
    });
    expect(await outbox.flush()).toMatchObject({ state: 'conflict', ackedUpTo: 1 });
    const { tillSyncState } = await import('./till-sync-state.ts');
    expect(tillSyncState(ledger.db, 'T1', () => new Date()).clear('Ana')).toEqual({
      conflicts: 1,
      rollback: false,
    });
    expect(outbox.status().state).toBe('sending');
    // HQ still holds another sale at seq 2: the retry stops again, at the same place.
    expect(await outbox.flush()).toMatchObject({ state: 'conflict', ackedUpTo: 1, conflicts: [{ seq: 2 }] });
    // Head office moved its event aside: the retry goes through.
    hq.held.delete(2);
    tillSyncState(ledger.db, 'T1', () => new Date()).clear('Ana');
    expect(await outbox.flush()).toMatchObject({ state: 'synced', ackedUpTo: 4, conflicts: [] });
    ledger.db.close();
  });

  it('moves on past an event HQ quarantined, and remembers it for the screen', async () => {
    const ledger = tempLedger();
    fill(ledger, 5);
    const hq = fakeHq();
    hq.quarantine.add(3);
    const outbox = createOutbox({
      ledger,
      hqUrl: 'http://hq.test',
      token: 'tok',
      logger: pino({ level: 'silent' }),
      fetch: hq.fetchFn,
    });
    const status = await outbox.flush();
    expect(status).toMatchObject({ state: 'synced', ackedUpTo: 5, conflicts: [], action: null });
    expect(status.quarantined).toMatchObject({
      count: 1,
      recent: [{ seq: 3, reason: 'amount out of range' }],
    });
    ledger.db.close();
  });

  it('a till whose ledger is behind HQ says so: HQ holds seqs this till never wrote', async () => {
    const ledger = tempLedger();
    fill(ledger, 2);
    const hq = fakeHq();
    const own = ledger.range(1, 2);
    for (const e of own) hq.held.set(e.seq, e.id);
    for (const seq of [3, 4, 5]) hq.held.set(seq, `lost-${seq}`);
    const fetchFn = (async (url: URL | string, init?: RequestInit) =>
      String(url).endsWith('/terminal/sync')
        ? Response.json({ terminalId: 'T1', heldUpTo: 5, maxSeq: 5 })
        : hq.fetchFn(url, init)) as typeof fetch;
    const { logger, lines } = captureLogger();
    const outbox = createOutbox({
      ledger,
      hqUrl: 'http://hq.test',
      token: 'tok',
      logger,
      clock,
      fetch: fetchFn,
    });
    expect(await outbox.probe()).toBe(5);
    expect(outbox.status()).toMatchObject({
      rollback: { hqSeq: 5, tillSeq: 2 },
      action: expect.stringMatching(/HQ holds events up to seq 5.*only 2/),
    });
    expect(lines.some((l) => l.level === 50 && /went back in time/.test(l.msg))).toBe(true);
    ledger.db.close();
  });

  it('revoked by HQ: stops asking, keeps every unsent event, and says why in its status', async () => {
    const ledger = tempLedger();
    fill(ledger, 3);
    const hq = fakeHq();
    const { logger, lines } = captureLogger();
    const at = fixedClock('2026-03-02T09:00:00Z');
    const outbox = createOutbox({
      ledger,
      hqUrl: 'http://hq',
      token: 't',
      logger,
      fetch: hq.fetchFn,
      clock: at,
    });
    hq.script.push('revoked');
    const status = await outbox.flush();
    expect(status).toMatchObject({
      state: 'revoked',
      pending: 3,
      ackedUpTo: 0,
      revoked: {
        message: 'this till was revoked at HQ: reported stolen',
        detectedAt: '2026-03-02T09:00:00.000Z',
      },
      action: 'this till was revoked at HQ: reported stolen',
    });
    fill(ledger, 2);
    expect((await outbox.flush()).pending).toBe(5);
    expect(hq.calls()).toBe(1);
    expect(lines.filter((l) => l.level === 50 && /revoked at HQ: reported stolen/.test(l.msg))).toHaveLength(
      1,
    );
    ledger.db.close();
  });
});
