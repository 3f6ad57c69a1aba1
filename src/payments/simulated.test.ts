import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.ts';
import { SimulatedProvider } from './simulated.ts';

let key = 0;
const req = () => ({ amountMinor: 1250, currency: 'EUR', reference: 'cart-1', idempotencyKey: `k${++key}` });

const tempDir = tempDirs('sim');
const stateFile = (): string => join(tempDir(), 'card-simulator.json');

describe('simulated card reader', () => {
  it('approves with a token and a masked number, never a card number', async () => {
    const r = await new SimulatedProvider().authorize(req());
    expect(r).toMatchObject({ status: 'approved', maskedPan: '************4242', brand: 'visa' });
    expect(JSON.stringify(r)).not.toMatch(/\d{13,19}/);
  });

  it('declines or times out when told to', async () => {
    expect(await new SimulatedProvider({ outcome: 'decline' }).authorize(req())).toMatchObject({
      status: 'declined',
    });
    expect(await new SimulatedProvider({ outcome: 'timeout' }).authorize(req())).toEqual({
      status: 'timeout',
    });
  });

  it('repeats the same outcomes and approval codes from the same seed', async () => {
    const run = async (seed: number) => {
      const p = new SimulatedProvider({ seed, declineRate: 0.3, timeoutRate: 0.1 });
      const out = [];
      for (let i = 0; i < 20; i++) {
        const r = await p.authorize(req());
        out.push(r.status === 'approved' ? r.approvalCode : r.status);
      }
      return out;
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  it('charges a card once however often the till repeats the same request', async () => {
    const p = new SimulatedProvider();
    const r = req();
    const first = await p.authorize(r);
    expect(await p.authorize(r)).toEqual(first);
    expect(p.charges()).toHaveLength(1);
  });

  it('never hands out a token twice, even after the till restarts with a fresh reader', async () => {
    const tokens = new Set<string>();
    for (let restart = 0; restart < 3; restart++) {
      const p = new SimulatedProvider({ seed: 1 });
      for (let i = 0; i < 5; i++) {
        const r = await p.authorize(req());
        if (r.status === 'approved') tokens.add(r.token);
      }
    }
    expect(tokens.size).toBe(15);
  });

  it('remembers its approvals across a restart: lookup, void and refund still work', async () => {
    const file = stateFile();
    const r = req();
    const first = await new SimulatedProvider({ stateFile: file }).authorize(r);
    if (first.status !== 'approved') throw new Error('expected approval');
    const again = new SimulatedProvider({ stateFile: file });
    expect(await again.lookup(r.idempotencyKey)).toMatchObject({ status: 'approved', token: first.token });
    expect((await again.refund(first.token, 250)).status).toBe('refunded');
    expect(new SimulatedProvider({ stateFile: file }).authorizations[0]?.refundedMinor).toBe(250);
  });

  it('can approve and then lose its answer: the lookup shows the charge, a void takes it back', async () => {
    const p = new SimulatedProvider({ outcome: 'approve_then_timeout' });
    const r = req();
    expect(await p.authorize(r)).toEqual({ status: 'timeout' });
    expect(p.charges()).toHaveLength(1);
    expect(await p.lookup(r.idempotencyKey)).toMatchObject({ status: 'approved', amountMinor: 1250 });
    expect(await p.reverse(r.idempotencyKey)).toEqual({ status: 'reversed' });
    expect(p.charges()).toHaveLength(0);
    expect(await p.lookup(r.idempotencyKey)).toMatchObject({ status: 'reversed' });
  });

  it('after a void of a key it never charged, a late request under that key is refused', async () => {
    const p = new SimulatedProvider();
    const r = req();
    expect(await p.reverse(r.idempotencyKey)).toEqual({ status: 'not_found' });
    expect(await p.authorize(r)).toMatchObject({ status: 'declined' });
    expect(p.charges()).toHaveLength(0);
  });

  it('refunds at most what it charged', async () => {
    const p = new SimulatedProvider();
    const r = await p.authorize(req());
    if (r.status !== 'approved') throw new Error('expected approval');
    expect((await p.refund(r.token, 1000)).status).toBe('refunded');
    expect((await p.refund(r.token, 251)).status).toBe('failed');
    expect((await p.refund('nope', 1)).status).toBe('failed');
  });

  it('waits its latency through the injected sleep', async () => {
    const waits: number[] = [];
    const p = new SimulatedProvider({ latencyMs: 800, sleep: async (ms) => void waits.push(ms) });
    await p.authorize(req());
    expect(waits).toEqual([800]);
  });
});
