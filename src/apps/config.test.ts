import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEventRules } from '../sync/hq/event-rules-config.ts';
import { readBenchConfig, readConfig } from './config.ts';

describe("Tally's settings, read once from the environment", () => {
  it('are the documented defaults when nothing is set, and a blank variable counts as unset', () => {
    for (const env of [{}, { TALLY_LOG_LEVEL: '', TALLY_INGEST_MAX_EVENTS: ' ', TALLY_ADMIN_TOKEN: '' }]) {
      const c = readConfig(env);
      expect(c).toMatchObject({
        // Unset: the logger picks warn on a terminal and info otherwise (core/log.ts).
        logLevel: undefined,
        adminToken: undefined,
        ingest: { maxEventsPerBatch: 1_000, maxBatchBytes: 4 * 1024 * 1024 },
        eventRules: undefined,
        forecastNightly: '02:00',
        customersNightly: '03:00',
        llm: undefined,
        crashAfterCardApproval: false,
      });
    }
    expect(defaultEventRules().limits.maxLineQty).toBe(10_000);
  });

  it('TLS takes a certificate with its key, and refuses one without the other', () => {
    expect(readConfig({}).tls).toBeUndefined();
    expect(
      readConfig({ TALLY_TLS_CERT: 'c.pem', TALLY_TLS_KEY: 'k.pem', TALLY_HQ_CA: 'ca.pem' }),
    ).toMatchObject({
      tls: { certFile: 'c.pem', keyFile: 'k.pem' },
      hqCaFile: 'ca.pem',
    });
    expect(() => readConfig({ TALLY_TLS_CERT: 'c.pem' })).toThrow(
      /TALLY_TLS_KEY: required with TALLY_TLS_CERT/,
    );
  });

  it('a chain that sells by the tonne raises one limit in JSON, or in a file, and keeps the rest', () => {
    const json = '{"limits":{"maxStockQty":5000000},"dates":{"daysBack":365}}';
    const fromJson = readConfig({ TALLY_EVENT_RULES: json }).eventRules;
    expect(fromJson?.limits).toMatchObject({ maxStockQty: 5_000_000, maxLineQty: 10_000 });
    expect(fromJson?.dates).toEqual({ daysBack: 365, daysAhead: 2, skewDays: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'tally-rules-'));
    try {
      writeFileSync(join(dir, 'rules.json'), json);
      expect(readConfig({ TALLY_EVENT_RULES: join(dir, 'rules.json') }).eventRules).toEqual(fromJson);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a wrong value stops the command, naming the variable and what it allows', () => {
    expect(() => readConfig({ TALLY_EVENT_RULES: '{"limits":{"maxLineQty":-1}}' })).toThrow(
      expect.objectContaining({ field: 'TALLY_EVENT_RULES.limits.maxLineQty' }),
    );
    expect(() => readConfig({ TALLY_EVENT_RULES: '/nowhere/rules.json' })).toThrow(
      expect.objectContaining({ field: 'TALLY_EVENT_RULES' }),
    );
    expect(() => readConfig({ TALLY_INGEST_MAX_EVENTS: 'lots' })).toThrow(
      /^TALLY_INGEST_MAX_EVENTS: .*allowed: a whole number above 0/,
    );
    expect(() => readConfig({ TALLY_INGEST_MAX_BYTES: '-5' })).toThrow(/^TALLY_INGEST_MAX_BYTES: /);
    expect(() => readConfig({ TALLY_LOG_LEVEL: 'loud' })).toThrow(
      /^TALLY_LOG_LEVEL: .*allowed: trace, debug, info, warn, error, fatal, silent/,
    );
    expect(() => readConfig({ TALLY_FORECAST_NIGHTLY: '25:00' })).toThrow(
      /^TALLY_FORECAST_NIGHTLY: .*HH:MM \(local time\) or off/,
    );
    expect(() => readConfig({ TALLY_LLM_URL: 'not a url', TALLY_LLM_KEY: 'k' })).toThrow(/^TALLY_LLM_URL: /);
  });

  it('rephrases the briefing with an LLM only when both its URL and key are set', () => {
    const url = 'https://llm.example/v1';
    expect(readConfig({ TALLY_LLM_URL: url }).llm).toBeUndefined();
    expect(readConfig({ TALLY_LLM_URL: url, TALLY_LLM_KEY: 'k' }).llm).toEqual({
      url,
      key: 'k',
      model: 'gpt-4o-mini',
      timeoutMs: 8_000,
    });
    expect(readConfig({ TALLY_FORECAST_NIGHTLY: 'off', TALLY_INGEST_MAX_EVENTS: '50' })).toMatchObject({
      forecastNightly: 'off',
      ingest: { maxEventsPerBatch: 50 },
    });
  });

  it("benchmarks use the test harness's PostgreSQL and NATS unless given their own", () => {
    const pg = 'postgres://postgres@127.0.0.1:5432/test';
    expect(readBenchConfig({ TALLY_TEST_PG_URL: pg })).toMatchObject({ pgUrl: pg, natsUrl: undefined });
    expect(readBenchConfig({ TALLY_TEST_PG_URL: pg, TALLY_BENCH_PG_URL: 'postgres://b/x' }).pgUrl).toBe(
      'postgres://b/x',
    );
    expect(readBenchConfig({}).gbdt).toMatchObject({ trainDays: 730, threads: 1, rowSample: 1, params: {} });
    expect(() => readBenchConfig({ GBDT_PARAMS: '[1]' })).toThrow(/^GBDT_PARAMS: expected a JSON object/);
  });
});
