/**
 * Every environment variable Tally reads, in one zod schema with its default, what it allows and
 * what it is for. The CLI reads it once at start (`readConfig`) and passes the values down; modules
 * take them as parameters and never look at `process.env`. The docs' configuration tables are
 * generated from the same schema (`npm run docs`), so they cannot drift from what the code reads.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { invalid } from '../core/index.ts';
import { parseNightlyAt } from '../intel/forecast/index.ts';
import type { LlmConfig } from '../reports/index.ts';
import type { IngestLimits } from '../sync/hq/index.ts';
import { type EventRules, eventRulesSchema } from '../sync/hq/index.ts';

/** Where a setting is documented: the README (running Tally), docs/BENCHMARKS.md, or docs/TESTING.md. */
export type SettingScope = 'run' | 'bench' | 'test';

export interface SettingDoc {
  scope: SettingScope;
  /** The commands or programs that read it. */
  usedBy: string;
  /** The default as a reader should see it. */
  default: string;
  /** What values are accepted; also said in the error for a bad value. */
  allowed: string;
  meaning: string;
  /** Never echoed in an error message. */
  secret?: boolean;
}

export const settingDocs = z.registry<SettingDoc>();

/** An unset variable and one set to blanks mean the same: the default. */
const blankIsUnset = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

function setting<T extends z.ZodType>(schema: T, doc: SettingDoc) {
  const wrapped = z.preprocess(blankIsUnset, schema);
  settingDocs.add(wrapped as z.ZodType, doc);
  return wrapped;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const positiveInt = z.coerce
  .number({ error: 'expected a whole number' })
  .int('expected a whole number')
  .positive('expected a number above 0');
const url = z.url({ error: 'expected a URL' });
const flag = z.enum(['0', '1'], { error: 'expected 1 (on) or 0 (off)' });

/** JSON text, or the path of a JSON file, checked against HQ's event rules schema. */
const eventRulesText = z.string().transform((raw, ctx): EventRules => {
  let json: unknown;
  try {
    json = JSON.parse(raw.trim().startsWith('{') ? raw : readFileSync(raw.trim(), 'utf8'));
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: `is neither JSON nor a readable JSON file: ${(err as Error).message}`,
    });
    return z.NEVER;
  }
  const parsed = eventRulesSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
  return z.NEVER;
});

const nightlyAt = z.string().superRefine((v, ctx) => {
  try {
    parseNightlyAt(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a time of day' });
  }
});

const runSettings = {
  TALLY_LOG_LEVEL: setting(z.enum(LOG_LEVELS, { error: 'not a log level' }).optional(), {
    scope: 'run',
    usedBy: 'all',
    default: '`warn` on a terminal, else `info`',
    allowed: LOG_LEVELS.join(', '),
    meaning:
      'how much the logs say (pino levels; same as `--log-level`); they go to standard error, pretty on a terminal and JSON lines otherwise',
  }),
  TALLY_ADMIN_TOKEN: setting(z.string().optional(), {
    scope: 'run',
    usedBy: 'hq, demo',
    default: 'generated on first start',
    allowed: 'any text; a long random one',
    meaning:
      'the bootstrap bearer token: creates the first admin and acts as hq_admin until disabled; replaces the stored one',
    secret: true,
  }),
  TALLY_DISABLE_ADMIN_TOKEN: setting(flag.default('0'), {
    scope: 'run',
    usedBy: 'hq',
    default: '`0`',
    allowed: '1 (on) or 0 (off)',
    meaning:
      'turn the admin token off for good at start (as `tally hq --disable-admin-token`); refused while no user holds manage_users over the chain',
  }),
  TALLY_INGEST_MAX_EVENTS: setting(positiveInt.default(1_000), {
    scope: 'run',
    usedBy: 'hq, demo',
    default: '1000',
    allowed: 'a whole number above 0',
    meaning: 'events one till batch may hold; more is refused (413, naming `events`)',
  }),
  TALLY_INGEST_MAX_BYTES: setting(positiveInt.default(4 * 1024 * 1024), {
    scope: 'run',
    usedBy: 'hq, demo',
    default: '4194304',
    allowed: 'a whole number above 0',
    meaning: 'bytes one till batch may unpack to (gzip inflated); more is refused (413)',
  }),
  TALLY_EVENT_RULES: setting(eventRulesText.optional(), {
    scope: 'run',
    usedBy: 'hq, demo, rebuild',
    default: 'shop defaults',
    allowed: 'JSON, or the path of a JSON file',
    meaning:
      'raises HQ\'s event limits and date window, e.g. `{"limits":{"maxLineQty":50000,"maxStockQty":5000000},"dates":{"daysBack":365}}`; ' +
      'keys and defaults in `src/core/limits.ts` (`maxLineQty` 10 000, `maxWeightGrams` 1 000 000, `maxLines` 1 000, ' +
      '`maxAmountMinor` 100 000 000, `maxGiftCardMinor` 250 000, `maxStockQty` 1 000 000) and ' +
      '`src/sync/hq/event-rules-config.ts` (`daysBack` 1 830, `daysAhead` 2, `skewDays` 2)',
  }),
  TALLY_FORECAST_NIGHTLY: setting(nightlyAt.default('02:00'), {
    scope: 'run',
    usedBy: 'hq, demo',
    default: '`02:00`',
    allowed: 'HH:MM (local time) or off',
    meaning: 'when a running HQ refreshes its stored forecasts each night; `off` turns it off',
  }),
  TALLY_CUSTOMERS_NIGHTLY: setting(nightlyAt.default('03:00'), {
    scope: 'run',
    usedBy: 'hq, demo',
    default: '`03:00`',
    allowed: 'HH:MM (local time) or off',
    meaning: 'when a running HQ scores its customers from its own sales each night; `off` turns it off',
  }),
  TALLY_LLM_URL: setting(url.optional(), {
    scope: 'run',
    usedBy: 'hq, demo',
    default: 'none (template only)',
    allowed: 'an OpenAI-compatible URL (…/v1)',
    meaning: 'with `TALLY_LLM_KEY`: an LLM may rephrase the morning briefing, keeping every number',
    secret: true,
  }),
  TALLY_LLM_KEY: setting(z.string().optional(), {
    scope: 'run',
    usedBy: 'hq, demo',
    default: 'none',
    allowed: 'the API key',
    meaning: 'the bearer key for `TALLY_LLM_URL`',
    secret: true,
  }),
  TALLY_LLM_MODEL: setting(z.string().default('gpt-4o-mini'), {
    scope: 'run',
    usedBy: 'hq, demo',
    default: '`gpt-4o-mini`',
    allowed: 'a model name the LLM service knows',
    meaning: 'the model that rephrases the briefing',
  }),
  TALLY_TLS_CERT: setting(z.string().optional(), {
    scope: 'run',
    usedBy: 'hq, terminal',
    default: 'unset: plain HTTP',
    allowed: 'the path of a PEM certificate (chain)',
    meaning:
      'serve HTTPS with this certificate, with `TALLY_TLS_KEY`; same as `--tls-cert` (docs/NETWORK.md)',
  }),
  TALLY_TLS_KEY: setting(z.string().optional(), {
    scope: 'run',
    usedBy: 'hq, terminal',
    default: 'unset: plain HTTP',
    allowed: 'the path of a PEM private key',
    meaning: 'the key of `TALLY_TLS_CERT`; same as `--tls-key`',
  }),
  TALLY_HQ_CA: setting(z.string().optional(), {
    scope: 'run',
    usedBy: 'terminal',
    default: "unset: the system's CAs",
    allowed: 'the path of a PEM CA certificate',
    meaning:
      "the till trusts only this CA for HQ's HTTPS (a private CA, or HQ's self-signed certificate); same as `--hq-ca`",
  }),
  TALLY_USER_PASSWORD: setting(z.string().optional(), {
    scope: 'run',
    usedBy: 'users add',
    default: 'read from standard input',
    allowed: 'any text',
    meaning: "the new user's password, for scripts (never on the command line)",
    secret: true,
  }),
};

const testSettings = {
  TALLY_TEST_PG_URL: setting(z.string().optional(), {
    scope: 'test',
    usedBy: 'tests, bench',
    default: 'unset: PGlite only',
    allowed: 'postgres://…',
    meaning: 'also run the HQ tests against this PostgreSQL (CI sets it; `.ci/run`)',
  }),
  TALLY_TEST_NATS_URL: setting(z.string().optional(), {
    scope: 'test',
    usedBy: 'tests, bench',
    default: 'unset: in-process bus only',
    allowed: 'nats://…',
    meaning: 'also run the backbone tests through this NATS JetStream (CI sets it)',
  }),
  TALLY_CHROMIUM: setting(z.string().optional(), {
    scope: 'test',
    usedBy: 'browser tests',
    default: '`/usr/bin/chromium`',
    allowed: 'the path of a Chromium binary',
    meaning: 'the browser the register and dashboard tests drive',
  }),
  TALLY_TEST_CRASH_AFTER_CARD_APPROVAL: setting(flag.optional(), {
    scope: 'test',
    usedBy: 'terminal',
    default: 'off',
    allowed: '1 (on) or 0 (off)',
    meaning: 'kills the till right after the simulated card reader approves (the card-crash test)',
  }),
};

const benchSettings = {
  TALLY_BENCH_PG_URL: setting(z.string().optional(), {
    scope: 'bench',
    usedBy: 'bench',
    default: '`TALLY_TEST_PG_URL`, else PGlite only',
    allowed: 'postgres://…',
    meaning: 'also measure HQ on this PostgreSQL',
  }),
  TALLY_BENCH_NATS_URL: setting(z.string().optional(), {
    scope: 'bench',
    usedBy: 'bench',
    default: '`TALLY_TEST_NATS_URL`, else in-process only',
    allowed: 'nats://…',
    meaning: 'also measure the event backbone through this NATS JetStream',
  }),
  TALLY_M5_DIR: setting(z.string().optional(), {
    scope: 'bench',
    usedBy: 'bench (replenish-sim, gbdt-m5)',
    default: '`../shared/data/m5-subset`',
    allowed: 'a folder',
    meaning: 'where the M5 subset is',
  }),
  FORECAST_BLEND_CACHE: setting(z.string().optional(), {
    scope: 'bench',
    usedBy: 'bench (forecast-blend)',
    default: 'a folder in the system temp folder',
    allowed: 'a folder',
    meaning: 'where the blend bench keeps forecasts between runs',
  }),
  GLOBAL_THREADS: setting(positiveInt.default(1), {
    scope: 'bench',
    usedBy: 'bench (forecast-blend)',
    default: '1',
    allowed: 'a whole number above 0',
    meaning: 'worker threads of the global model',
  }),
  SECOND: setting(
    z.enum(['weighted', 'refit'], { error: 'not a kind of second model' }).default('weighted'),
    {
      scope: 'bench',
      usedBy: 'bench (forecast-blend)',
      default: '`weighted`',
      allowed: 'weighted or refit',
      meaning: 'the second global model: dollar-weighted rows, or the first retrained through validation',
    },
  ),
  GBDT_TRAIN_DAYS: setting(positiveInt.default(730), {
    scope: 'bench',
    usedBy: 'bench (gbdt-m5)',
    default: '730',
    allowed: 'a whole number above 0',
    meaning: 'days of rows the global model trains on',
  }),
  GBDT_THREADS: setting(positiveInt.default(1), {
    scope: 'bench',
    usedBy: 'bench (gbdt-m5)',
    default: '1',
    allowed: 'a whole number above 0',
    meaning: 'worker threads of the global model',
  }),
  GBDT_ROW_SAMPLE: setting(z.coerce.number().gt(0).lte(1).default(1), {
    scope: 'bench',
    usedBy: 'bench (gbdt-m5)',
    default: '1',
    allowed: 'a share above 0, at most 1',
    meaning: 'share of training rows drawn',
  }),
  GBDT_FIXED_ORIGIN: setting(flag.default('0'), {
    scope: 'bench',
    usedBy: 'bench (gbdt-m5)',
    default: '0',
    allowed: '1 (on) or 0 (off)',
    meaning: 'train from one forecast origin instead of several',
  }),
  GBDT_REFIT: setting(flag.default('0'), {
    scope: 'bench',
    usedBy: 'bench (gbdt-m5)',
    default: '0',
    allowed: '1 (on) or 0 (off)',
    meaning: 'retrain through the validation window before forecasting',
  }),
  GBDT_WEIGHTED: setting(flag.default('0'), {
    scope: 'bench',
    usedBy: 'bench (gbdt-m5)',
    default: '0',
    allowed: '1 (on) or 0 (off)',
    meaning: 'weight training rows by dollar sales',
  }),
  GBDT_PARAMS: setting(jsonObject().optional(), {
    scope: 'bench',
    usedBy: 'bench (gbdt-m5)',
    default: '`{}`',
    allowed: 'a JSON object of GBDT parameters, e.g. `{"numRounds":300}`',
    meaning: 'overrides the GBDT parameters',
  }),
};

function jsonObject() {
  return z.string().transform((raw, ctx): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(raw);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {}
    ctx.addIssue({ code: 'custom', message: 'expected a JSON object' });
    return z.NEVER;
  });
}

/** The one schema: every variable Tally reads, keyed by its name. */
export const configSchema = z.object({ ...runSettings, ...testSettings, ...benchSettings });

export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the commands need, shaped for the modules they pass it to. */
export interface TallyConfig {
  /** Unset: quiet on a terminal, info otherwise (core/log.ts). */
  logLevel: LogLevel | undefined;
  adminToken: string | undefined;
  disableAdminToken: boolean;
  ingest: IngestLimits;
  eventRules: EventRules | undefined;
  /** 'HH:MM' local time or 'off'. */
  forecastNightly: string;
  /** 'HH:MM' local time or 'off'. */
  customersNightly: string;
  llm: LlmConfig | undefined;
  userPassword: string | undefined;
  /** Test harness: SIGKILL the till right after a simulated card approval. */
  crashAfterCardApproval: boolean;
  /** Certificate and key files to serve HTTPS with (HQ and the till); both or neither. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** The CA file a till trusts for HQ. */
  hqCaFile: string | undefined;
}

export interface BenchConfig {
  pgUrl: string | undefined;
  natsUrl: string | undefined;
  m5Dir: string | undefined;
  blendCache: string | undefined;
  globalThreads: number;
  secondGlobal: 'weighted' | 'refit';
  gbdt: {
    trainDays: number;
    threads: number;
    rowSample: number;
    fixedOrigin: boolean;
    refit: boolean;
    weighted: boolean;
    params: Record<string, unknown>;
  };
}

/** Parses part of the schema; a bad value fails naming the variable and what it allows. */
function parsePart<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv): z.output<z.ZodObject<S>> {
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(shape)) picked[name] = env[name];
  const parsed = z.object(shape).safeParse(picked);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const name = path[0] ?? 'environment';
  const doc = settingDocs.get(shape[name] as z.ZodType);
  const given = env[name];
  // The value itself helps spot a typo; long JSON and secrets are left out.
  const echo = path.length === 1 && !doc?.secret && given && given.length <= 80 ? `, got "${given}"` : '';
  const what = issue?.message ?? 'invalid';
  throw invalid(
    path.join('.'),
    `${what}${echo}${doc ? ` (allowed: ${doc.allowed})` : ''}; fix it or unset it for the default`,
  );
}

/** Reads Tally's settings from the environment once, at start. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): TallyConfig {
  const c = parsePart({ ...runSettings, ...testSettings }, env);
  return {
    logLevel: c.TALLY_LOG_LEVEL,
    adminToken: c.TALLY_ADMIN_TOKEN,
    disableAdminToken: c.TALLY_DISABLE_ADMIN_TOKEN === '1',
    ingest: { maxEventsPerBatch: c.TALLY_INGEST_MAX_EVENTS, maxBatchBytes: c.TALLY_INGEST_MAX_BYTES },
    eventRules: c.TALLY_EVENT_RULES,
    forecastNightly: c.TALLY_FORECAST_NIGHTLY,
    customersNightly: c.TALLY_CUSTOMERS_NIGHTLY,
    llm:
      c.TALLY_LLM_URL && c.TALLY_LLM_KEY
        ? { url: c.TALLY_LLM_URL, key: c.TALLY_LLM_KEY, model: c.TALLY_LLM_MODEL, timeoutMs: 8_000 }
        : undefined,
    userPassword: c.TALLY_USER_PASSWORD,
    crashAfterCardApproval: c.TALLY_TEST_CRASH_AFTER_CARD_APPROVAL === '1',
    tls: tlsPair(c.TALLY_TLS_CERT, c.TALLY_TLS_KEY, 'TALLY_TLS_CERT', 'TALLY_TLS_KEY'),
    hqCaFile: c.TALLY_HQ_CA,
  };
}

/** A certificate and its key come together; one without the other is refused, naming the missing one. */
export function tlsPair(
  certFile: string | undefined,
  keyFile: string | undefined,
  certName = '--tls-cert',
  keyName = '--tls-key',
): { certFile: string; keyFile: string } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined) throw invalid(certName, `required with ${keyName}: give the certificate too`);
  if (keyFile === undefined)
    throw invalid(keyName, `required with ${certName}: give the certificate's key too`);
  return { certFile, keyFile };
}

/** The test harness's crash hook for the simulated card reader, when TALLY_TEST_CRASH_AFTER_CARD_APPROVAL=1. */
export function cardCrashHook(config: Pick<TallyConfig, 'crashAfterCardApproval'>): {
  afterApproval?: () => void;
} {
  if (!config.crashAfterCardApproval) return {};
  return { afterApproval: () => void process.kill(process.pid, 'SIGKILL') };
}

/** The benchmarks' settings; the test harness's PostgreSQL and NATS stand in when none is given. */
export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const c = parsePart({ ...benchSettings, ...testSettings }, env);
  return {
    pgUrl: c.TALLY_BENCH_PG_URL ?? c.TALLY_TEST_PG_URL,
    natsUrl: c.TALLY_BENCH_NATS_URL ?? c.TALLY_TEST_NATS_URL,
    m5Dir: c.TALLY_M5_DIR,
    blendCache: c.FORECAST_BLEND_CACHE,
    globalThreads: c.GLOBAL_THREADS,
    secondGlobal: c.SECOND,
    gbdt: {
      trainDays: c.GBDT_TRAIN_DAYS,
      threads: c.GBDT_THREADS,
      rowSample: c.GBDT_ROW_SAMPLE,
      fixedOrigin: c.GBDT_FIXED_ORIGIN === '1',
      refit: c.GBDT_REFIT === '1',
      weighted: c.GBDT_WEIGHTED === '1',
      params: c.GBDT_PARAMS ?? {},
    },
  };
}
