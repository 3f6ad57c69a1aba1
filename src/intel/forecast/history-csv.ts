/**
 * The forecast file contract, input side: a long CSV `series_id,date,qty[,extra…]` streamed into a Panel.
 * Extra columns are classified after the whole file is read: a column that is constant within every series
 * is a static attribute, otherwise a daily covariate (numeric when every value parses as a number,
 * categorical otherwise). `price`, `event` and `snap` are always daily.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { invalid } from '../../core/index.ts';
import { type CategoricalCovariate, makeCalendar, type Panel, type Series, utcMsToIso } from './panel.ts';
import { CodeColumn, F64Vec, I32Vec, Interner, splitCsvLine } from './typed-columns.ts';

const DAY_MS = 86_400_000;
const ALWAYS_DAILY = new Set(['price', 'event', 'snap']);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One series' rows as typed columns; extra columns hold codes into their column's Interner. */
interface Raw {
  id: string;
  days: I32Vec;
  qty: F64Vec;
  extra: CodeColumn[];
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
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  return path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
}

/**
 * Reads a long history CSV (plain or .gz) from a path or a stream into a Panel; bad rows throw with their
 * line. Rows go straight into typed columns per series (no object per row) and repeated strings (dates,
 * events, store names, prices) are interned once, and a column constant within a series (store, item)
 * keeps one code: memory grows by about 12 bytes plus 4 per changing extra column per row.
 */
export async function readHistory(source: string | Readable, opts: ReadOptions): Promise<Panel> {
  if (!Number.isInteger(opts.horizon) || opts.horizon < 1)
    throw invalid('horizon', 'must be a positive integer');
  const input = typeof source === 'string' ? openMaybeGz(source) : source;
  const decoder = new StringDecoder('utf8');
  let header: string[] | undefined;
  let idCol = -1;
  let dateCol = -1;
  let qtyCol = -1;
  let extraCols: number[] = [];
  let interners: Interner[] = [];
  const byId = new Map<string, Raw>();
  const dayOf = new Map<string, number>();
  let lastRaw: Raw | undefined;
  let rows = 0;
  let lineNo = 0;
  let pending = '';
  // A record whose quoted field spans lines: its text so far and the line it started on.
  let carry = '';
  let carryLine = 0;

  const onRecord = (text: string, line: number): void => {
    const record = splitCsvLine(text, line);
    if (!header) {
      header = record.map((h) => h.toLowerCase());
      idCol = header.indexOf('series_id');
      dateCol = header.indexOf('date');
      qtyCol = header.indexOf('qty');
      if (idCol < 0 || dateCol < 0 || qtyCol < 0) {
        throw invalid('header', `line ${line}: the header must name series_id, date and qty`);
      }
      extraCols = header.map((_, i) => i).filter((i) => i !== idCol && i !== dateCol && i !== qtyCol);
      interners = extraCols.map(() => new Interner());
      return;
    }
    if (record.length !== header.length) {
      throw invalid(
        'csv',
        `line ${line}: expected ${header.length} fields as in the header, got ${record.length}`,
      );
    }
    const id = record[idCol] as string;
    if (id === '') throw invalid('series_id', `line ${line}: empty series_id`);
    const date = record[dateCol] as string;
    let day = dayOf.get(date);
    if (day === undefined) {
      day = dayNumber(date, line);
      dayOf.set(date, day);
    }
    const q = record[qtyCol] as string;
    let qty = Number.NaN;
    if (q !== '') {
      qty = Number(q);
      if (!Number.isFinite(qty) || qty < 0) {
        throw invalid('qty', `line ${line}: "${q}" is not a non-negative number`);
      }
    }
    let raw = lastRaw !== undefined && lastRaw.id === id ? lastRaw : byId.get(id);
    if (!raw) {
      raw = { id, days: new I32Vec(), qty: new F64Vec(), extra: extraCols.map(() => new CodeColumn()) };
      byId.set(id, raw);
    }
    lastRaw = raw;
    raw.days.push(day);
    raw.qty.push(qty);
    for (let k = 0; k < extraCols.length; k++)
      (raw.extra[k] as CodeColumn).push(
        (interners[k] as Interner).code(record[extraCols[k] as number] as string),
      );
    rows++;
    if (opts.onProgress && rows % 50_000 === 0) opts.onProgress(rows);
  };

  const onLine = (line: string): void => {
    lineNo++;
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (carry !== '') {
      carry += `\n${text}`;
      if (quotesBalanced(carry)) {
        const whole = carry;
        carry = '';
        onRecord(whole, carryLine);
      }
      return;
    }
    if (text.trim() === '') return;
    if (text.includes('"') && !quotesBalanced(text)) {
      carry = text;
      carryLine = lineNo;
      return;
    }
    onRecord(text, lineNo);
  };

  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const text = pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
      let from = 0;
      for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', from)) {
        onLine(text.slice(from, nl));
        from = nl + 1;
      }
      pending = text.slice(from);
    }
    const rest = pending + decoder.end();
    if (rest !== '') onLine(rest);
    if (carry !== '') throw invalid('csv', `line ${carryLine}: a quoted field is never closed`);
  } catch (err) {
    input.destroy();
    throw err;
  }
  if (!header) throw invalid('history', 'the file is empty');
  opts.onProgress?.(rows);
  return buildPanel(
    [...byId.values()],
    extraCols.map((i) => header?.[i] as string),
    interners,
    opts.horizon,
  );
}

function quotesBalanced(text: string): boolean {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n % 2 === 0;
}

function buildPanel(raws: Raw[], extraNames: string[], interners: Interner[], horizon: number): Panel {
  if (raws.length === 0) throw invalid('history', 'no rows after the header');
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  let maxObserved = Number.NEGATIVE_INFINITY;
  // Last observed day per series (−Infinity when none).
  const lastObs = raws.map((r) => {
    let l = Number.NEGATIVE_INFINITY;
    const days = r.days.data;
    const qty = r.qty.data;
    for (let i = 0; i < r.days.length; i++) {
      const d = days[i] as number;
      if (d < minDay) minDay = d;
      if (d > maxDay) maxDay = d;
      if (!Number.isNaN(qty[i] as number) && d > l) l = d;
    }
    if (l > maxObserved) maxObserved = l;
    return l;
  });
  if (!Number.isFinite(maxObserved)) maxObserved = minDay - 1;
  // Horizon of each series: its future rows, else `horizon` days after its last observation (or after the
  // panel's last observed day for a series never observed).
  const futureDays = raws.map((r, k) => {
    const l = lastObs[k] as number;
    const f: number[] = [];
    for (let i = 0; i < r.days.length; i++)
      if (Number.isNaN(r.qty.data[i] as number) && (r.days.data[i] as number) > l)
        f.push(r.days.data[i] as number);
    if (f.length === 0) {
      const from = Number.isFinite(l) ? l : maxObserved;
      for (let j = 1; j <= horizon; j++) f.push(from + j);
    }
    return f.sort((a, b) => a - b);
  });
  for (const f of futureDays) if ((f[f.length - 1] as number) > maxDay) maxDay = f[f.length - 1] as number;
  const calendar = makeCalendar(utcMsToIso(minDay * DAY_MS), utcMsToIso(maxDay * DAY_MS));
  const n = calendar.dates.length;

  // Classify the extra columns: static when constant within every series, numeric when every value parses.
  const isStatic = extraNames.map((name, k) => {
    if (ALWAYS_DAILY.has(name)) return false;
    for (const r of raws) if (!(r.extra[k] as CodeColumn).constant) return false;
    return true;
  });
  const numberOf = interners.map((it) =>
    Float64Array.from(it.values, (v) => (v === '' ? Number.NaN : Number(v))),
  );
  const isNumeric = interners.map((it, c) =>
    it.values.every((v, code) => v === '' || Number.isFinite(numberOf[c]?.[code] as number)),
  );
  // Categorical levels: the non-empty values, numbered in order of first sight, shared by every series.
  const levelCode = interners.map((it) => {
    const map = new Int32Array(it.values.length).fill(-1);
    let next = 0;
    it.values.forEach((v, code) => {
      if (v !== '') map[code] = next++;
    });
    return map;
  });
  const levelLists = interners.map((it) => it.values.filter((v) => v !== ''));

  const series: Series[] = raws.map((r, k) => {
    const history = new Float64Array(n).fill(Number.NaN);
    const seen = new Uint8Array(n);
    const numeric: Record<string, Float64Array> = {};
    const categorical: Record<string, CategoricalCovariate> = {};
    const attrs: Record<string, string> = {};
    const days = r.days.data;
    const qty = r.qty.data;
    let first = -1;
    let last = -1;
    for (let i = 0; i < r.days.length; i++) {
      const t = (days[i] as number) - minDay;
      if (seen[t]) throw invalid('date', `series ${r.id} has two rows for ${calendar.dates[t]}`);
      seen[t] = 1;
      const q = qty[i] as number;
      history[t] = q;
      if (!Number.isNaN(q)) {
        if (first < 0 || t < first) first = t;
        if (t > last) last = t;
      }
    }
    extraNames.forEach((name, c) => {
      const col = r.extra[c] as CodeColumn;
      const values = (interners[c] as Interner).values;
      if (isStatic[c]) {
        attrs[name] = values[col.first] ?? '';
        return;
      }
      if (isNumeric[c]) {
        const a = new Float64Array(n).fill(Number.NaN);
        const num = numberOf[c] as Float64Array;
        for (let i = 0; i < r.days.length; i++) a[(days[i] as number) - minDay] = num[col.at(i)] as number;
        numeric[name] = a;
        return;
      }
      const cat = new Int32Array(n).fill(-1);
      const lc = levelCode[c] as Int32Array;
      for (let i = 0; i < r.days.length; i++) cat[(days[i] as number) - minDay] = lc[col.at(i)] as number;
      categorical[name] = { codes: cat, levels: levelLists[c] as string[] };
    });
    const hz = Int32Array.from(futureDays[k] as number[], (d) => d - minDay);
    return { id: r.id, history, first, last, horizon: hz, numeric, categorical, attrs };
  });
  return { calendar, series };
}
