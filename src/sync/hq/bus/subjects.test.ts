import { describe, expect, it } from 'vitest';
import { checkName, eventSubject, subjectToken } from './subjects.ts';

describe('NATS subjects', () => {
  it('names a subject by store and event type', () => {
    expect(eventSubject('tally.events', { storeId: 'S001', type: 'sale.completed' })).toBe(
      'tally.events.S001.sale.completed',
    );
  });

  it('keeps a store id with dots or wildcards from splitting or widening the subject', () => {
    expect(subjectToken('S.1 *>')).toBe('S_1___');
    expect(eventSubject('p', { storeId: 'a.b', type: 'stock.received' })).toBe('p.a_b.stock.received');
    expect(subjectToken('')).toBe('_');
  });

  it('refuses a stream name NATS would refuse', () => {
    expect(checkName('stream', 'TALLY_EVENTS')).toBe('TALLY_EVENTS');
    expect(() => checkName('stream', 'a.b')).toThrow(/stream/);
  });
});
