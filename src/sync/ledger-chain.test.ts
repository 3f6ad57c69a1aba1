import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../core/event.ts';
import {
  canonicalJson,
  chainContent,
  chainHash,
  contentProblem,
  genesisHash,
  linkProblem,
} from './ledger-chain.ts';

/**
 * The chain's rule is a protocol between every till and HQ, across releases: a fixed event must give
 * a fixed digest for ever (the digests below were computed outside this code, with Python's hashlib
 * over the canonical text written out by hand).
 */
const GENESIS_T01 = 'f0d409f445b5a118f1d16b477d4d548bd78a9c54f607479baebd6d114786fd79';

const known = (): EventEnvelope => ({
  id: '0195a000-0000-7000-8000-000000000042',
  type: 'sale.completed',
  schemaVersion: 1,
  storeId: 'S001',
  terminalId: 'S001-T01',
  seq: 1,
  businessDate: '2026-03-02',
  occurredAt: '2026-03-02T10:30:00.000+01:00',
  payload: { totalMinor: 238, lines: [{ sku: 'MILK', qty: 2 }] },
  prevHash: GENESIS_T01,
});

describe('the ledger chain rule', () => {
  it('starts a till at seq 1 from the genesis value of its terminal id', () => {
    expect(genesisHash('S001-T01', 1)).toBe(GENESIS_T01);
    expect(genesisHash('S001-T01', 2)).not.toBe(GENESIS_T01);
    expect(genesisHash('S001-T02', 1)).not.toBe(GENESIS_T01);
  });

  it('gives a fixed event a fixed digest, hashing occurredAt as its UTC instant', () => {
    const e = known();
    expect(chainContent(e)).toBe(
      `{"businessDate":"2026-03-02","id":"0195a000-0000-7000-8000-000000000042","occurredAt":"2026-03-02T09:30:00.000Z","payload":{"lines":[{"qty":2,"sku":"MILK"}],"totalMinor":238},"prevHash":"${GENESIS_T01}","schemaVersion":1,"seq":1,"storeId":"S001","terminalId":"S001-T01","type":"sale.completed"}`,
    );
    expect(chainHash(e)).toBe('eb807400381e3576badb7c1b766becce8108c42bdbc3abfae3b3393484a8d581');
    // The same instant written in UTC (as HQ gives it back) and a hash field present change nothing.
    expect(chainHash({ ...e, occurredAt: '2026-03-02T09:30:00.000Z', hash: 'ab'.repeat(32) })).toBe(
      'eb807400381e3576badb7c1b766becce8108c42bdbc3abfae3b3393484a8d581',
    );
  });

  it('changes the digest when any field, the payload or the previous hash changes', () => {
    const e = known();
    const base = chainHash(e);
    const variants: EventEnvelope[] = [
      { ...e, seq: 2 },
      { ...e, type: 'sale.voided' },
      { ...e, terminalId: 'S001-T02' },
      { ...e, occurredAt: '2026-03-02T10:30:00.001+01:00' },
      { ...e, payload: { totalMinor: 239, lines: [{ sku: 'MILK', qty: 2 }] } },
      { ...e, prevHash: genesisHash('S001-T01', 2) },
      { ...e, actor: 'ana' } as EventEnvelope,
    ];
    for (const v of variants) expect(chainHash(v)).not.toBe(base);
  });

  it('writes canonical JSON that reads back as JSON.stringify would write it, with sorted keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.date({ noInvalidDate: true }), (value, at) => {
        const withExtras = { value, at, gone: undefined, list: [undefined, at] };
        const text = canonicalJson(withExtras);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(withExtras)));
        // Key order of the input never matters.
        const reversed = Object.fromEntries(Object.entries(withExtras).reverse());
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });

  it('finds an event whose hash does not cover its content', () => {
    const e = known();
    const hashed = { ...e, hash: chainHash(e) };
    expect(contentProblem(hashed)).toBeUndefined();
    expect(contentProblem({ ...hashed, payload: { totalMinor: 1 } })).toMatch(
      /chain broke at seq 1: its hash/,
    );
    expect(contentProblem({ ...e })).toBeUndefined(); // an older till's event carries no hash
  });

  it('links each event to the one before, and starts the chain only where nothing chained comes before', () => {
    const t = 'S001-T01';
    const first = { seq: 1, prevHash: genesisHash(t, 1), hash: 'a'.repeat(64) };
    const second = { seq: 2, prevHash: first.hash, hash: 'b'.repeat(64) };
    expect(linkProblem(t, null, first)).toBeUndefined();
    expect(linkProblem(t, first, second)).toBeUndefined();
    expect(linkProblem(t, first, { ...second, prevHash: 'c'.repeat(64) })).toMatch(
      /does not match the hash of seq 1/,
    );
    expect(linkProblem(t, first, { seq: 2 })).toMatch(/hash was removed/);
    expect(linkProblem(t, first, { ...second, hash: null })).toMatch(/prevHash without a hash/);
    // After an upgrade: seq 5 held without a hash, so seq 6 must start the chain explicitly.
    const legacy = { seq: 5, prevHash: null, hash: null };
    expect(
      linkProblem(t, legacy, { seq: 6, prevHash: genesisHash(t, 6), hash: 'd'.repeat(64) }),
    ).toBeUndefined();
    expect(linkProblem(t, legacy, { seq: 6, prevHash: genesisHash(t, 1), hash: 'd'.repeat(64) })).toMatch(
      /must start the chain/,
    );
    expect(linkProblem(t, legacy, { seq: 6 })).toBeUndefined();
  });
});
