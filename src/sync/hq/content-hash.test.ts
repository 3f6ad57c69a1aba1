import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sales } from '../../../test/fixtures/ingest.ts';
import type { EventEnvelope } from '../../core/event.ts';
import { canonicalJson, eventContentHash } from './content-hash.ts';

/** The content hash decides duplicate or conflict: same content in any spelling matches, any change does not. */
const till = { terminalId: 'S001-T01', storeId: 'S001' };
const base = (): EventEnvelope => sales(till, 7, 7)[0]! as EventEnvelope;

const shuffleKeys = (v: unknown, flip: boolean): unknown => {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, flip));
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v).map(([k, x]) => [k, shuffleKeys(x, !flip)] as const);
  return Object.fromEntries(flip ? entries.reverse() : entries);
};

describe('event content hash', () => {
  it('a sale resent with its keys in another order hashes the same', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (extra, flip) => {
        const e = { ...base(), payload: { ...base().payload, extra } };
        expect(eventContentHash(shuffleKeys(e, flip) as EventEnvelope)).toBe(eventContentHash(e));
      }),
    );
  });

  it('the same instant written with another offset hashes the same', () => {
    const e = base();
    expect(eventContentHash({ ...e, occurredAt: '2026-03-02T11:00:00+01:00' })).toBe(eventContentHash(e));
  });

  it('any change to any stored field changes the hash', () => {
    const e = base();
    const changes: ((x: EventEnvelope) => EventEnvelope)[] = [
      (x) => ({ ...x, type: 'sale.returned' }),
      (x) => ({ ...x, schemaVersion: 2 }),
      (x) => ({ ...x, storeId: 'S002' }),
      (x) => ({ ...x, terminalId: 'S001-T02' }),
      (x) => ({ ...x, seq: 8 }),
      (x) => ({ ...x, businessDate: '2026-03-03' }),
      (x) => ({ ...x, occurredAt: '2026-03-02T10:00:00.001Z' }),
    ];
    for (const change of changes) expect(eventContentHash(change(e))).not.toBe(eventContentHash(e));
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (key, value) => {
        const before = { ...e, payload: { ...e.payload, [`k${key}`]: 'x' } };
        fc.pre(canonicalJson(value) !== canonicalJson('x'));
        const after = { ...e, payload: { ...e.payload, [`k${key}`]: value } };
        expect(eventContentHash(after)).not.toBe(eventContentHash(before));
      }),
    );
  });

  it('canonical JSON writes equal objects alike and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [2, 1, { d: null, c: 'é' }] })).toBe(
      '{"a":[2,1,{"c":"é","d":null}],"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe(JSON.stringify({ b: [null] }));
  });
});
