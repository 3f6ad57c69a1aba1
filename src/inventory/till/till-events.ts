import { z } from 'zod';
import type { EventEnvelope } from '../../core/index.ts';
import { invalid, newId } from '../../core/index.ts';
import type { Ledger } from '../../sync/index.ts';
import { INVENTORY_EVENT_TYPES, stockLineSchema } from '../events.ts';
import { mergeLines } from '../keys.ts';

/**
 * Stock work done in the store, written to the till's ledger like a sale: counts, transfers shipped
 * and received, deliveries from suppliers. The till sells offline, so none of these asks HQ anything;
 * HQ folds them into its ledger when they arrive (a count is valued there, see till-counts.ts).
 */
const sku = z.string().trim().min(1).max(100);
const ref = z.string().trim().min(1).max(100);

export const tillCountInput = z.object({
  kind: z.enum(['full', 'cycle']).default('cycle'),
  /** When counting began; defaults to now. Sales rung up after it are not part of the count. */
  freezeAt: z.iso.datetime({ offset: true }).optional(),
  countId: ref.optional(),
  lines: z.array(z.object({ sku, countedQty: z.number().int().nonnegative() })),
});
export const tillShipInput = z.object({
  toStoreId: z.string().trim().min(1),
  transferId: ref.optional(),
  lines: z.array(stockLineSchema).min(1),
});
export const tillReceiveInput = z.object({
  fromStoreId: z.string().trim().min(1),
  lines: z.array(z.object({ sku, qty: z.number().int().nonnegative() })),
  /** Closes the transfer: what has not arrived by now is a discrepancy. */
  final: z.boolean().default(false),
});
export const tillDeliveryInput = z.object({
  supplier: z.string().trim().min(1).max(200),
  reference: ref.optional(),
  lines: z
    .array(z.object({ sku, qty: z.number().int().positive(), unitCostMinor: z.number().int().nonnegative() }))
    .min(1),
});

export interface TillInventory {
  count(input: z.input<typeof tillCountInput>): EventEnvelope;
  ship(input: z.input<typeof tillShipInput>): EventEnvelope;
  receive(transferId: string, input: z.input<typeof tillReceiveInput>): EventEnvelope;
  delivery(input: z.input<typeof tillDeliveryInput>): EventEnvelope[];
}

export function tillInventory(ledger: Ledger, now: () => Date = () => new Date()): TillInventory {
  const parse = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => {
    const r = schema.safeParse(input);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    throw invalid(issue?.path.map(String).join('.') || 'body', issue?.message ?? 'invalid');
  };
  return {
    count(input) {
      const p = parse(tillCountInput, input);
      if (p.kind === 'cycle' && p.lines.length === 0) throw invalid('lines', 'a cycle count needs lines');
      const freezeAt = p.freezeAt ?? now().toISOString();
      if (new Date(freezeAt) > now()) throw invalid('freezeAt', 'must not be in the future');
      return ledger.append(INVENTORY_EVENT_TYPES.stockCountTaken, {
        countId: p.countId ?? newId(),
        kind: p.kind,
        freezeAt,
        lines: p.lines,
      });
    },
    ship(input) {
      const p = parse(tillShipInput, input);
      if (p.toStoreId === ledger.storeId) throw invalid('toStoreId', 'must be another store than this one');
      return ledger.append(INVENTORY_EVENT_TYPES.transferShipped, {
        transferId: p.transferId ?? newId(),
        toStoreId: p.toStoreId,
        lines: mergeLines(p.lines),
      });
    },
    receive(transferId, input) {
      const id = parse(ref, transferId);
      const p = parse(tillReceiveInput, input);
      if (p.fromStoreId === ledger.storeId)
        throw invalid('fromStoreId', 'must be another store than this one');
      const lines = p.lines.filter((l) => l.qty > 0);
      if (lines.length === 0 && !p.final) throw invalid('lines', 'at least one line with a quantity');
      return ledger.append(INVENTORY_EVENT_TYPES.transferReceived, {
        transferId: id,
        fromStoreId: p.fromStoreId,
        lines: mergeLines(lines),
        final: p.final,
      });
    },
    delivery(input) {
      const p = parse(tillDeliveryInput, input);
      return ledger.transaction(() =>
        p.lines.map((l) =>
          ledger.append(INVENTORY_EVENT_TYPES.stockReceived, {
            sku: l.sku,
            qty: l.qty,
            reason: 'delivery',
            unitCostMinor: l.unitCostMinor,
            supplier: p.supplier,
            ...(p.reference ? { reference: p.reference } : {}),
          }),
        ),
      );
    },
  };
}
