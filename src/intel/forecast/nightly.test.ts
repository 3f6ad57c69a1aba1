import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../test/helpers/hq-db.ts';
import type { HqDb } from '../../db/hq-db.ts';
import type { RefreshResult } from './hq-refresh.ts';
import { nextRunAt, parseNightlyAt, startNightlyForecasts } from './nightly.ts';

const db = {} as HqDb;
const done: RefreshResult = { runId: 'r', series: 1, asOf: '2026-03-01', ms: 1 };

describe('nightly forecast refresh', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads HH:MM or off, and names the setting when it is wrong', () => {
    expect(parseNightlyAt('02:00')).toBe(120);
    expect(parseNightlyAt('23:59')).toBe(23 * 60 + 59);
    expect(parseNightlyAt('off')).toBeNull();
    expect(() => parseNightlyAt('25:00')).toThrow(/TALLY_FORECAST_NIGHTLY.*HH:MM/);
    expect(() => parseNightlyAt('2am', 'forecastNightly')).toThrow(/forecastNightly/);
  });

  it('aims at the next local 02:00: tonight before it, tomorrow after it', () => {
    const before = new Date(2026, 2, 10, 1, 30);
    const after = new Date(2026, 2, 10, 2, 0);
    expect(nextRunAt(before, 120)).toEqual(new Date(2026, 2, 10, 2, 0));
    expect(nextRunAt(after, 120)).toEqual(new Date(2026, 2, 11, 2, 0));
  });

  it('refreshes every night, skips a night while a refresh runs, and stops', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2026, 2, 10, 12, 0));
    const refresh = vi.fn(async () => done);
    let running = false;
    const h = startNightlyForecasts(db, {
      at: '02:00',
      logger: silentLogger,
      deps: { refresh, running: async () => running, hasSales: async () => true, now: () => new Date() },
    });
    expect(h.next()).toEqual(new Date(2026, 2, 11, 2, 0));
    await vi.advanceTimersByTimeAsync(14 * 3_600_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(h.next()).toEqual(new Date(2026, 2, 12, 2, 0));
    running = true;
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    running = false;
    await h.stop();
    await vi.advanceTimersByTimeAsync(48 * 3_600_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(h.next()).toBeUndefined();
  });

  it('keeps its schedule after a failed refresh, and does nothing when off', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2026, 2, 10, 12, 0));
    const refresh = vi.fn(async (): Promise<RefreshResult> => {
      throw new Error('disk full');
    });
    const deps = { refresh, running: async () => false, hasSales: async () => true, now: () => new Date() };
    const h = startNightlyForecasts(db, { at: '03:15', logger: silentLogger, deps });
    await vi.advanceTimersByTimeAsync(2 * 24 * 3_600_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    await h.stop();
    const off = startNightlyForecasts(db, { at: 'off', logger: silentLogger, deps });
    expect(off.next()).toBeUndefined();
  });
});
