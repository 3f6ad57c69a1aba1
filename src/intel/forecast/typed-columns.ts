/**
 * Small building blocks of the history reader: growable typed columns (no boxed number per row), a string
 * interner (a million rows repeat a few thousand dates, prices and names), and a CSV field splitter.
 */
import { invalid } from '../../core/index.ts';

export class I32Vec {
  data = new Int32Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export class F64Vec {
  data = new Float64Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** Numbers strings in order of first sight; `values[code]` gives the string back. */
export class Interner {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  code(v: string): number {
    const c = this.codes.get(v);
    if (c !== undefined) return c;
    this.codes.set(v, this.values.length);
    this.values.push(v);
    return this.values.length - 1;
  }
}

/**
 * Fields of one CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and newlines), each
 * trimmed of surrounding spaces. `line` names the record in errors.
 */
export function splitCsvLine(text: string, line: number): string[] {
  if (!text.includes('"')) {
    const parts = text.split(',');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      const c0 = p.charCodeAt(0);
      const c1 = p.charCodeAt(p.length - 1);
      if (c0 === 32 || c0 === 9 || c1 === 32 || c1 === 9) parts[i] = p.trim();
    }
    return parts;
  }
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw invalid('csv', `line ${line}: a quoted field is never closed`);
        v += text.slice(i, q);
        if (text[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (i < text.length && text[i] !== ',') {
        throw invalid('csv', `line ${line}: unexpected text after a quoted field`);
      }
      out.push(v);
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? text.length : comma;
      const v = text.slice(i, end).trim();
      if (v.includes('"')) throw invalid('csv', `line ${line}: a quote inside an unquoted field`);
      out.push(v);
      i = end;
    }
    if (i >= text.length) return out;
    i++; // the comma
    if (i === text.length) {
      out.push('');
      return out;
    }
  }
}

/**
 * Codes of one column of one series. A column that never changes within the series (store, item,
 * category…) keeps one code and no per-row array; the array appears on the first different value.
 */
export class CodeColumn {
  first = -1;
  length = 0;
  rows: I32Vec | null = null;

  push(code: number): void {
    if (this.length === 0) this.first = code;
    else if (this.rows === null && code !== this.first) {
      const rows = new I32Vec();
      for (let i = 0; i < this.length; i++) rows.push(this.first);
      this.rows = rows;
    }
    this.rows?.push(code);
    this.length++;
  }

  at(i: number): number {
    return this.rows === null ? this.first : (this.rows.data[i] as number);
  }

  get constant(): boolean {
    return this.rows === null;
  }
}
