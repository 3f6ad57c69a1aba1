/**
 * The forecast file contract, input side: a long CSV `series_id,date,qty[,extra…]` streamed into a Panel.
 * Extra columns are classified after the whole file is read: a column that is constant within every series
 * is a static attribute, otherwise a daily covariate (numeric when every value parses as a number,
 * categorical otherwise). `price`, `event` and `snap` are always daily.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { invalid } from '../../core/errors.ts';
import { type CategoricalCovariate, makeCalendar, type Panel, type Series, utcMsToIso } from './panel.ts';

const DAY_MS = 86_400_000;
const ALWAYS_DAILY = new Set(['price', 'event', 'snap']);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Raw {
  id: string;
  days: number[];
  qty: number[];
  /** One array per extra column, aligned with `days`. */
  extra: string[][];
}

export interface ReadOptions {
  /** Days to forecast for a series that has no future rows. */
  horizon: number;
  /** Called every ~50k rows with the rows read so far. */
  onProgress?: (rows: number) => void;
}

function dayNumber(iso: string, line: number): number {
  const m = ISO_DATE.exec(iso);
  if (!m) throw invalid('date', `line ${line}: "${iso}" is not a YYYY-MM-DD date`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (utcMsToIso(ms) !== iso) throw invalid('date', `line ${line}: "${iso}" is not a real date`);
  return ms / DAY_MS;
}

export function openMaybeGz(path: string): Readable {
  const file = createReadStream(path);
  return path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
}

/** Reads a long history CSV (plain or .gz) from a path or a stream into a Panel; bad rows throw with their line. */
export async function readHistory(source: string | Readable, opts: ReadOptions): Promise<Panel> {
  if (!Number.isInteger(opts.horizon) || opts.horizon < 1)
    throw invalid('horizon', 'must be a positive integer');
  const input = typeof source === 'string' ? openMaybeGz(source) : source;
  const parser = input.pipe(
    parse({ info: true, skip_empty_lines: true, trim: true, relax_column_count: false }),
  );
  let header: string[] | undefined;
  let idCol = -1;
  let dateCol = -1;
  let qtyCol = -1;
  let extraCols: number[] = [];
  const byId = new Map<string, Raw>();
  let rows = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = rec;
      const line = info.lines;
      if (!header) {
        header = record.map((h) => h.toLowerCase());
        idCol = header.indexOf('series_id');
        dateCol = header.indexOf('date');
        qtyCol = header.indexOf('qty');
        if (idCol < 0 || dateCol < 0 || qtyCol < 0) {
          throw invalid('header', `line ${line}: the header must name series_id, date and qty`);
        }
        extraCols = header.map((_, i) => i).filter((i) => i !== idCol && i !== dateCol && i !== qtyCol);
        continue;
      }
      const id = record[idCol] ?? '';
      if (id === '') throw invalid('series_id', `line ${line}: empty series_id`);
      const day = dayNumber(record[dateCol] ?? '', line);
      const q = record[qtyCol] ?? '';
      let qty = Number.NaN;
      if (q !== '') {
        qty = Number(q);
        if (!Number.isFinite(qty) || qty < 0) {
          throw invalid('qty', `line ${line}: "${q}" is not a non-negative number`);
        }
      }
      let raw = byId.get(id);
      if (!raw) {
        raw = { id, days: [], qty: [], extra: extraCols.map(() => []) };
        byId.set(id, raw);
      }
      raw.days.push(day);
      raw.qty.push(qty);
      for (let k = 0; k < extraCols.length; k++)
        (raw.extra[k] as string[]).push(record[extraCols[k] as number] ?? '');
      rows++;
      if (opts.onProgress && rows % 50_000 === 0) opts.onProgress(rows);
    }
  } catch (err) {
    input.destroy();
    // csv-parse reports malformed CSV with its own line numbers; keep them in a TallyError.
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('CSV_')) {
      const l = (err as { lines?: number }).lines;
      throw invalid('csv', `line ${l ?? '?'}: ${err.message}`);
    }
    throw err;
  }
  if (!header) throw invalid('history', 'the file is empty');
  opts.onProgress?.(rows);
  return buildPanel(
    [...byId.values()],
    extraCols.map((i) => header?.[i] as string),
    opts.horizon,
  );
}

function buildPanel(raws: Raw[], extraNames: string[], horizon: number): Panel {
  if (raws.length === 0) throw invalid('history', 'no rows after the header');
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  let maxObserved = Number.NEGATIVE_INFINITY;
  for (const r of raws) {
    for (let i = 0; i < r.days.length; i++) {
      const d = r.days[i] as number;
      if (d < minDay) minDay = d;
      if (d > maxDay) maxDay = d;
      if (!Number.isNaN(r.qty[i]) && d > maxObserved) maxObserved = d;
    }
  }
  if (!Number.isFinite(maxObserved)) maxObserved = minDay - 1;
  // Horizon of each series: its future rows, else `horizon` days after its last observation (or after the
  // panel's last observed day for a series never observed).
  const lastObs = raws.map((r) => {
    let l = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < r.days.length; i++)
      if (!Number.isNaN(r.qty[i]) && (r.days[i] as number) > l) l = r.days[i] as number;
    return l;
  });
  const futureDays = raws.map((r, k) => {
    const l = lastObs[k] as number;
    const f: number[] = [];
    for (let i = 0; i < r.days.length; i++)
      if (Number.isNaN(r.qty[i]) && (r.days[i] as number) > l) f.push(r.days[i] as number);
    if (f.length === 0) {
      const from = Number.isFinite(l) ? l : maxObserved;
      for (let j = 1; j <= horizon; j++) f.push(from + j);
    }
    return f.sort((a, b) => a - b);
  });
  for (const f of futureDays) if ((f[f.length - 1] as number) > maxDay) maxDay = f[f.length - 1] as number;
  const calendar = makeCalendar(utcMsToIso(minDay * DAY_MS), utcMsToIso(maxDay * DAY_MS));
  const n = calendar.dates.length;

  // Classify the extra columns.
  const isStatic = extraNames.map((name, k) => {
    if (ALWAYS_DAILY.has(name)) return false;
    for (const r of raws) {
      const col = r.extra[k] as string[];
      for (let i = 1; i < col.length; i++) if (col[i] !== col[0]) return false;
    }
    return true;
  });
  const isNumeric = extraNames.map((_, k) => {
    for (const r of raws)
      for (const v of r.extra[k] as string[]) if (v !== '' && !Number.isFinite(Number(v))) return false;
    return true;
  });
  const levels = extraNames.map(() => new Map<string, number>());
  // One levels list per column, shared by every series and filled once all codes are known.
  const levelLists = extraNames.map(() => [] as string[]);

  const series: Series[] = raws.map((r, k) => {
    const history = new Float64Array(n).fill(Number.NaN);
    const seen = new Uint8Array(n);
    const numeric: Record<string, Float64Array> = {};
    const categorical: Record<string, CategoricalCovariate> = {};
    const attrs: Record<string, string> = {};
    const dailyNum: (Float64Array | undefined)[] = extraNames.map((name, c) => {
      if (isStatic[c] || !isNumeric[c]) return undefined;
      const a = new Float64Array(n).fill(Number.NaN);
      numeric[name] = a;
      return a;
    });
    const dailyCat: (Int32Array | undefined)[] = extraNames.map((_, c) =>
      isStatic[c] || isNumeric[c] ? undefined : new Int32Array(n).fill(-1),
    );
    let first = -1;
    let last = -1;
    for (let i = 0; i < r.days.length; i++) {
      const t = (r.days[i] as number) - minDay;
      if (seen[t]) throw invalid('date', `series ${r.id} has two rows for ${calendar.dates[t]}`);
      seen[t] = 1;
      const q = r.qty[i] as number;
      history[t] = q;
      if (!Number.isNaN(q)) {
        if (first < 0 || t < first) first = t;
        if (t > last) last = t;
      }
      for (let c = 0; c < extraNames.length; c++) {
        const v = (r.extra[c] as string[])[i] as string;
        const num = dailyNum[c];
        const cat = dailyCat[c];
        if (num) num[t] = v === '' ? Number.NaN : Number(v);
        else if (cat && v !== '') {
          const lv = levels[c] as Map<string, number>;
          let code = lv.get(v);
          if (code === undefined) {
            code = lv.size;
            lv.set(v, code);
          }
          cat[t] = code;
        }
      }
    }
    extraNames.forEach((name, c) => {
      if (isStatic[c]) attrs[name] = (r.extra[c] as string[])[0] ?? '';
      const cat = dailyCat[c];
      if (cat) categorical[name] = { codes: cat, levels: levelLists[c] as string[] };
    });
    const hz = Int32Array.from(futureDays[k] as number[], (d) => d - minDay);
    return { id: r.id, history, first, last, horizon: hz, numeric, categorical, attrs };
  });
  extraNames.forEach((_, c) => {
    (levelLists[c] as string[]).push(...(levels[c] as Map<string, number>).keys());
  });
  return { calendar, series };
}
