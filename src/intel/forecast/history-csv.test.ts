import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readHistory } from './history-csv.ts';

const fixture = new URL('../../../test/fixtures/forecast/small-history.csv', import.meta.url).pathname;
const fromText = (text: string) => Readable.from([text]);

describe('history CSV', () => {
  it('reads series, future rows, daily covariates and static attributes', async () => {
    const panel = await readHistory(fixture, { horizon: 28 });
    expect(panel.series.map((s) => s.id)).toEqual(['sku0', 'sku1', 'sku2', 'sku3', 'new1']);
    const s0 = panel.series[0];
    expect(s0?.attrs).toEqual({ store: 'S1', cat: 'FOOD' });
    expect(Object.keys(s0?.numeric ?? {})).toEqual(['price']);
    expect(Object.keys(s0?.categorical ?? {})).toEqual(['event']);
    // The future rows name the days to forecast, not --horizon.
    expect(s0?.horizon.length).toBe(7);
    expect(panel.calendar.dates[s0?.horizon[0] as number]).toBe('2024-04-30');
    expect(s0?.first).toBe(0);
    expect(s0?.last).toBe(119);
    const ev = s0?.categorical.event;
    expect(ev?.levels[ev.codes[44] as number]).toBe('Valentine');
    const n = panel.series[4];
    expect(n?.first).toBe(-1);
    expect(n?.horizon.length).toBe(5);
  });

  it('forecasts --horizon days when a series has no future rows, and reads gzip', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-hist-'));
    const path = join(dir, 'h.csv.gz');
    await writeFile(path, gzipSync('series_id,date,qty\na,2024-01-01,1\na,2024-01-02,0\n'));
    const panel = await readHistory(path, { horizon: 3 });
    expect([...(panel.series[0]?.horizon ?? [])].map((t) => panel.calendar.dates[t])).toEqual([
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
    ]);
  });

  it('reports a bad row with its line number', async () => {
    const text = 'series_id,date,qty\na,2024-01-01,1\na,2024-01-02,-4\n';
    await expect(readHistory(fromText(text), { horizon: 3 })).rejects.toThrow(/line 3: "-4"/);
    await expect(
      readHistory(fromText('series_id,date,qty\na,2024-02-30,1\n'), { horizon: 3 }),
    ).rejects.toThrow(/line 2/);
    await expect(readHistory(fromText('id,day,qty\n'), { horizon: 3 })).rejects.toThrow(
      /series_id, date and qty/,
    );
    await expect(
      readHistory(fromText('series_id,date,qty\na,2024-01-01,1,9\n'), { horizon: 3 }),
    ).rejects.toThrow(/line 2/);
  });

  it('reads quoted fields and CRLF line ends, and counts lines across a quoted newline', async () => {
    const text =
      'series_id,date,qty,cat\r\n"a",2024-01-01,1,"Food, fresh"\r\na,2024-01-02,2,"Food, fresh"\r\n';
    const panel = await readHistory(fromText(text), { horizon: 1 });
    expect(panel.series[0]?.attrs).toEqual({ cat: 'Food, fresh' });
    expect([...(panel.series[0]?.history ?? [])]).toEqual([1, 2, Number.NaN]);
    const bad = 'series_id,date,qty,note\na,2024-01-01,1,"two\nlines"\na,2024-01-02,x,\n';
    await expect(readHistory(fromText(bad), { horizon: 1 })).rejects.toThrow(/line 4: "x"/);
  });

  it('refuses two rows for the same day', async () => {
    const text = 'series_id,date,qty\na,2024-01-01,1\na,2024-01-01,2\n';
    await expect(readHistory(fromText(text), { horizon: 1 })).rejects.toThrow(/two rows for 2024-01-01/);
  });

  it('keeps the fixture readable as text (sanity of the committed file)', async () => {
    expect((await readFile(fixture, 'utf8')).startsWith('series_id,date,qty')).toBe(true);
  });
});
