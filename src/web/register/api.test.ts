import { describe, expect, it } from 'vitest';
import { normalizeField } from './api.ts';

describe('fields named by the till', () => {
  it('reads the register and the schema validator alike, so errors land next to the same field', () => {
    expect(normalizeField('lines[0].qty')).toBe('lines.0.qty');
    expect(normalizeField('body.lines.0.qty')).toBe('lines.0.qty');
    expect(normalizeField('tenders[1]')).toBe('tenders.1');
    expect(normalizeField('reason')).toBe('reason');
  });
});
