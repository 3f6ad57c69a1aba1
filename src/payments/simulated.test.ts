import { describe, expect, it } from 'vitest';
import { SimulatedProvider } from './simulated.ts';

const req = { amountMinor: 1250, currency: 'EUR', reference: 'cart-1' };

describe('simulated card reader', () => {
  it('approves with a token and a masked number, never a card number', async () => {
    const r = await new SimulatedProvider().authorize(req);
    expect(r).toMatchObject({ status: 'approved', maskedPan: '************4242', brand: 'visa' });
    expect(JSON.stringify(r)).not.toMatch(/\d{13,19}/);
  });

  it('declines or times out when told to', async () => {
    expect(await new SimulatedProvider({ outcome: 'decline' }).authorize(req)).toMatchObject({
      status: 'declined',
    });
    expect(await new SimulatedProvider({ outcome: 'timeout' }).authorize(req)).toEqual({ status: 'timeout' });
  });

  it('repeats the same run from the same seed', async () => {
    const run = async (seed: number) => {
      const p = new SimulatedProvider({ seed, declineRate: 0.3, timeoutRate: 0.1 });
      const out = [];
      for (let i = 0; i < 20; i++) out.push(await p.authorize(req));
      return out;
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  it('refunds at most what it charged', async () => {
    const p = new SimulatedProvider();
    const r = await p.authorize(req);
    if (r.status !== 'approved') throw new Error('expected approval');
    expect((await p.refund(r.token, 1000)).status).toBe('refunded');
    expect((await p.refund(r.token, 251)).status).toBe('failed');
    expect((await p.refund('nope', 1)).status).toBe('failed');
  });

  it('waits its latency through the injected sleep', async () => {
    const waits: number[] = [];
    const p = new SimulatedProvider({ latencyMs: 800, sleep: async (ms) => void waits.push(ms) });
    await p.authorize(req);
    expect(waits).toEqual([800]);
  });
});
