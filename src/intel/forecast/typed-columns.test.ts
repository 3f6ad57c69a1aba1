import { describe, expect, it } from 'vitest';
import { CodeColumn, F64Vec, I32Vec, Interner, splitCsvLine } from './typed-columns.ts';

describe('CSV fields', () => {
  it('splits plain fields and trims surrounding spaces', () => {
    expect(splitCsvLine('a, 2024-01-01 ,3,', 1)).toEqual(['a', '2024-01-01', '3', '']);
  });

  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    expect(splitCsvLine('"a,b","say ""hi""",x', 1)).toEqual(['a,b', 'say "hi"', 'x']);
    expect(splitCsvLine('"two\nlines",1', 1)).toEqual(['two\nlines', '1']);
    expect(splitCsvLine('x,""', 1)).toEqual(['x', '']);
  });

  it('names the line of a malformed record', () => {
    expect(() => splitCsvLine('"open,1', 7)).toThrow(/line 7: a quoted field is never closed/);
    expect(() => splitCsvLine('"a"b,1', 9)).toThrow(/line 9/);
  });
});

describe('typed columns', () => {
  it('grow past their initial size and keep every value', () => {
    const a = new I32Vec();
    const b = new F64Vec();
    for (let i = 0; i < 1000; i++) {
      a.push(i);
      b.push(i / 2);
    }
    expect(a.length).toBe(1000);
    expect(a.data[999]).toBe(999);
    expect(b.data[999]).toBe(499.5);
  });

  it('interns repeated strings to one code each', () => {
    const it = new Interner();
    expect([it.code('x'), it.code('y'), it.code('x'), it.code('')]).toEqual([0, 1, 0, 2]);
    expect(it.values).toEqual(['x', 'y', '']);
  });
});

describe('code columns', () => {
  it('keep one code while the value is constant and every row once it changes', () => {
    const c = new CodeColumn();
    for (let i = 0; i < 5; i++) c.push(3);
    expect(c.constant).toBe(true);
    c.push(4);
    expect(c.constant).toBe(false);
    expect(Array.from({ length: 6 }, (_, i) => c.at(i))).toEqual([3, 3, 3, 3, 3, 4]);
  });
});
