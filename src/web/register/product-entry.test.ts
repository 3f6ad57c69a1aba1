import { describe, expect, it } from 'vitest';
import type { Item } from '../../contracts/index.ts';
import { isNameQuery, itemsOf, movePick, searchOutcome } from './product-entry.ts';

const item = (sku: string, name: string): Item => ({ sku, name, priceMinor: 199, taxRateBp: 700 }) as Item;

describe('code or name entry', () => {
  it('one product called "milk" is added at once; several are listed to pick from', () => {
    expect(searchOutcome(' milk ', [item('MILK', 'Milk 1l')])).toEqual({ kind: 'add', code: 'MILK' });
    const two = [item('MILK', 'Milk 1l'), item('OAT', 'Oat milk')];
    expect(searchOutcome('milk', two)).toEqual({ kind: 'pick', items: two });
  });

  it('nothing found says what to do next, naming what was typed', () => {
    const out = searchOutcome('mlik', []);
    expect(out.kind).toBe('none');
    expect(out.kind === 'none' && out.message).toMatch(/“mlik” not found.*scan the barcode/);
  });

  it('arrows move the highlight and stop at either end of the list', () => {
    expect(movePick(0, 'ArrowDown', 3)).toBe(1);
    expect(movePick(2, 'ArrowDown', 3)).toBe(2);
    expect(movePick(0, 'ArrowUp', 3)).toBe(0);
    expect(movePick(2, 'ArrowUp', 3)).toBe(1);
    expect(movePick(4, 'ArrowDown', 0)).toBe(0);
  });

  it('a keyed-in barcode is not searched as a name while typing; two letters are', () => {
    expect(isNameQuery('4006381333931')).toBe(false);
    expect(isNameQuery('m')).toBe(false);
    expect(isNameQuery('mi')).toBe(true);
    expect(isNameQuery('7up')).toBe(true);
  });

  it('reads both shapes of the till search answer', () => {
    const list = [item('A', 'Apple')];
    expect(itemsOf(list)).toEqual(list);
    expect(itemsOf({ items: list })).toEqual(list);
    expect(itemsOf(undefined)).toEqual([]);
  });
});
