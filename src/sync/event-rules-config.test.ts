import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEventRules, eventRulesFromEnv } from './event-rules-config.ts';

describe("HQ's event limits, from its environment", () => {
  it('are the shop defaults when nothing is set', () => {
    expect(eventRulesFromEnv({})).toEqual(defaultEventRules());
    expect(defaultEventRules().limits.maxLineQty).toBe(10_000);
  });

  it('a chain that sells by the tonne raises one limit in JSON, or in a file, and keeps the rest', () => {
    const json = '{"limits":{"maxStockQty":5000000},"dates":{"daysBack":365}}';
    const fromJson = eventRulesFromEnv({ TALLY_EVENT_RULES: json });
    expect(fromJson.limits).toMatchObject({ maxStockQty: 5_000_000, maxLineQty: 10_000 });
    expect(fromJson.dates).toEqual({ daysBack: 365, daysAhead: 2, skewDays: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'tally-rules-'));
    try {
      writeFileSync(join(dir, 'rules.json'), json);
      expect(eventRulesFromEnv({ TALLY_EVENT_RULES: join(dir, 'rules.json') })).toEqual(fromJson);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a wrong value stops HQ naming the setting to fix', () => {
    expect(() => eventRulesFromEnv({ TALLY_EVENT_RULES: '{"limits":{"maxLineQty":-1}}' })).toThrow(
      expect.objectContaining({ field: 'TALLY_EVENT_RULES.limits.maxLineQty' }),
    );
    expect(() => eventRulesFromEnv({ TALLY_EVENT_RULES: '/nowhere/rules.json' })).toThrow(
      expect.objectContaining({ field: 'TALLY_EVENT_RULES' }),
    );
  });
});
