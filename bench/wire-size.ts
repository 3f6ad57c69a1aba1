import { encodeBatch } from '../src/sync/till/wire-codec.ts';
import { sampleSaleEvents } from './sample-events.ts';

/** Bytes on the wire per sale event: plain JSON against gzip batches of the sizes the outbox sends. */
export function wireSize(): Record<string, string | number>[] {
  const skus = Array.from({ length: 300 }, (_, i) => `SKU-${String(i).padStart(5, '0')}`);
  const rows: Record<string, string | number>[] = [];
  for (const size of [1, 50, 500]) {
    const events = sampleSaleEvents({ n: size, storeId: 'S001', terminalId: 'T-bench', skus });
    const batch = { terminalId: 'T-bench', events };
    const plain = Buffer.byteLength(JSON.stringify(batch));
    const gz = encodeBatch(batch).length;
    rows.push({
      'batch size': size,
      'plain JSON bytes/event': Math.round(plain / size),
      'gzip bytes/event': Math.round(gz / size),
      ratio: `${(plain / gz).toFixed(1)}×`,
    });
  }
  return rows;
}
