import { describe, expect, it } from 'vitest';
import { type WedgeAnswer, WedgeDetector } from './wedge.ts';

/** Feeds `text` then Enter, `gap` ms apart, and returns the answer to the Enter. */
function type(d: WedgeDetector<string>, text: string, gap: number, editable: boolean, start = 1000) {
  let t = start;
  const answers: WedgeAnswer<string>[] = [];
  for (const key of text) {
    answers.push(d.feed({ key, time: t, editable, context: 'before' }));
    t += gap;
  }
  return { answers, enter: d.feed({ key: 'Enter', time: t, editable }) };
}

describe('keyboard-wedge scanner input', () => {
  it('takes a fast burst typed into a text field as a scan, to be removed from the field', () => {
    const r = type(new WedgeDetector(), '4006381333931', 8, true);
    expect(r.answers.every((a) => a.kind === 'pass')).toBe(true);
    expect(r.enter).toEqual({ kind: 'scan', code: '4006381333931', fromField: true, context: 'before' });
  });

  it('leaves a person typing in a field alone, however many digits', () => {
    expect(type(new WedgeDetector(), '2000', 120, true).enter).toEqual({ kind: 'pass' });
    // too short to be a barcode even when fast: an amount typed quickly
    expect(type(new WedgeDetector(), '20', 5, true).enter).toEqual({ kind: 'pass' });
  });

  it('swallows characters typed with the focus outside fields, at any speed, and scans on Enter', () => {
    const r = type(new WedgeDetector(), 'T1-000001', 300, false);
    expect(r.answers.every((a) => a.kind === 'swallow')).toBe(true);
    expect(r.enter).toMatchObject({ kind: 'scan', code: 'T1-000001', fromField: false });
  });

  it('finds a burst that follows a pause in a field, not one that follows typing', () => {
    const d = new WedgeDetector<string>();
    d.feed({ key: '1', time: 0, editable: true });
    d.feed({ key: '2', time: 400, editable: true });
    expect(type(d, '96385074', 10, true, 900).enter).toMatchObject({ kind: 'scan', code: '96385074' });
    // typing that speeds up at the end would give half a code: left to the field instead
    d.feed({ key: '4', time: 5000, editable: true });
    d.feed({ key: '1', time: 5080, editable: true });
    expect(type(d, '15037000025', 10, true, 5160).enter).toEqual({ kind: 'pass' });
  });

  it('forgets the code on any other key, shortcut or a slow Enter', () => {
    const d = new WedgeDetector<string>();
    expect(d.feed({ key: 'Enter', time: 0, editable: false })).toEqual({ kind: 'pass' });
    d.feed({ key: '1', time: 0, editable: false });
    d.feed({ key: 'Backspace', time: 10, editable: false });
    expect(d.feed({ key: 'Enter', time: 20, editable: false })).toEqual({ kind: 'pass' });
    d.feed({ key: '1', time: 0, editable: false });
    expect(d.feed({ key: 'p', time: 5, editable: false, modified: true })).toEqual({ kind: 'pass' });
    expect(d.feed({ key: 'Enter', time: 10, editable: false })).toEqual({ kind: 'pass' });
    d.feed({ key: '1', time: 0, editable: true });
    d.feed({ key: '2', time: 5, editable: true });
    d.feed({ key: '3', time: 10, editable: true });
    d.feed({ key: '4', time: 15, editable: true });
    expect(d.feed({ key: 'Enter', time: 500, editable: true })).toEqual({ kind: 'pass' });
  });

  it('ignores Shift inside a burst, as scanners send it around capitals', () => {
    const d = new WedgeDetector<string>();
    d.feed({ key: 'Shift', time: 0, editable: false });
    d.feed({ key: 'A', time: 1, editable: false });
    d.feed({ key: 'Shift', time: 2, editable: false });
    d.feed({ key: '7', time: 3, editable: false });
    expect(d.feed({ key: 'Enter', time: 4, editable: false })).toMatchObject({ kind: 'scan', code: 'A7' });
  });
});
