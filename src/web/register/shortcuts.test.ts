import { describe, expect, it } from 'vitest';
import { actionFor, SHORTCUTS } from './shortcuts.ts';

const key = (k: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; code: string }> = {}) => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

describe('register shortcuts', () => {
  it('maps function keys and Alt+letters to the same actions', () => {
    expect(actionFor(key('F9'))).toBe('pay');
    expect(actionFor(key('p', { altKey: true }))).toBe('pay');
    expect(actionFor(key('π', { altKey: true, code: 'KeyP' }))).toBe('pay');
    expect(actionFor(key('F10'))).toBe('closeShift');
  });

  it('leaves plain letters, digits and Ctrl combinations alone', () => {
    expect(actionFor(key('p'))).toBeUndefined();
    expect(actionFor(key('5'))).toBeUndefined();
    expect(actionFor(key('F9', { ctrlKey: true }))).toBeUndefined();
  });

  it('gives every action its own keys', () => {
    const alts = SHORTCUTS.map((s) => s.alt);
    const fKeys = SHORTCUTS.flatMap((s) => (s.fKey ? [s.fKey] : []));
    expect(new Set(alts).size).toBe(alts.length);
    expect(new Set(fKeys).size).toBe(fKeys.length);
  });
});
