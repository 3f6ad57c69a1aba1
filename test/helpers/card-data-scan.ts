import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { findCardNumbers, isCardDataKey } from '../../src/core/card-data.ts';
import type { HqDb } from '../../src/db/hq-db.ts';

/**
 * The card-data scan the issue asks for, reusable by any test: after card sales, nothing at rest or in
 * flight may hold a full card number (a Luhn-valid run of 13–19 digits) or a card verification value
 * (a field named cvv, cvc, track2, pan…). Scans every text and JSON column of every table of HQ's
 * schema, every column of a till's SQLite files, captured log lines and NATS stream messages. Each
 * finding says where, with the number masked, so a failing test does not print a card number either.
 */
export interface CardDataFinding {
  where: string;
  what: string;
}

/** Card numbers in free text, and card-data keys wherever the text parses as JSON. */
export function scanText(text: string, where: string): CardDataFinding[] {
  const found: CardDataFinding[] = findCardNumbers(text).map((h) => ({
    where,
    what: `card number ending ${h.digits.slice(-4)}`,
  }));
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      found.push(...scanKeys(JSON.parse(trimmed), where));
    } catch {
      // Not JSON after all: the text scan above is all there is to do.
    }
  }
  return found;
}

function scanKeys(value: unknown, where: string): CardDataFinding[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => scanKeys(v, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(isCardDataKey(k) && v !== null && v !== ''
      ? [{ where: `${where}.${k}`, what: `card data field "${k}"` }]
      : []),
    ...(typeof v === 'number' && findCardNumbers(String(v)).length > 0
      ? [{ where: `${where}.${k}`, what: 'card number as a JSON number' }]
      : []),
    ...scanKeys(v, `${where}.${k}`),
  ]);
}

const TEXT_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED'];

/** Every text, JSON and array column of every table in HQ's current schema. */
export async function scanHqDatabase(db: HqDb): Promise<CardDataFinding[]> {
  const cols = await sql<{ table_name: string; column_name: string }>`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
       AND c.data_type IN (${sql.join(TEXT_TYPES)})`.execute(db);
  const found: CardDataFinding[] = [];
  for (const { table_name, column_name } of cols.rows) {
    const rows = await sql<{ v: string | null }>`
      SELECT ${sql.ref(column_name)}::text AS v FROM ${sql.table(table_name)}`.execute(db);
    for (const [i, r] of rows.rows.entries())
      if (r.v) found.push(...scanText(r.v, `hq ${table_name}.${column_name} row ${i}`));
  }
  return found;
}

/** Every value of every table in a till's SQLite file (ledger.db, catalog.db). */
export function scanSqliteFile(path: string): CardDataFinding[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const found: CardDataFinding[] = [];
    for (const t of tables) {
      const rows = db.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}"`).all() as Record<
        string,
        unknown
      >[];
      for (const [i, row] of rows.entries())
        for (const [col, v] of Object.entries(row)) {
          const where = `${path} ${t}.${col} row ${i}`;
          if (typeof v === 'string') found.push(...scanText(v, where));
          else if (Buffer.isBuffer(v)) found.push(...scanText(v.toString('latin1'), where));
          else if (typeof v === 'number' || typeof v === 'bigint') found.push(...scanText(String(v), where));
        }
    }
    return found;
  } finally {
    db.close();
  }
}

/** Captured log lines (pino writes one JSON object per line). */
export const scanLogLines = (lines: readonly string[], source: string): CardDataFinding[] =>
  lines.flatMap((line, i) => scanText(line, `${source} log line ${i + 1}`));

/** Every message held in a NATS JetStream stream: subject, headers and data. */
export async function scanNatsStream(url: string, stream: string): Promise<CardDataFinding[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    const found: CardDataFinding[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!m) continue;
      const where = `nats ${stream} #${seq}`;
      found.push(...scanText(m.subject, where), ...scanText(m.string(), where));
      for (const [k, vs] of m.header ?? []) for (const v of vs) found.push(...scanText(`${k}: ${v}`, where));
    }
    return found;
  } finally {
    await nc.close();
  }
}

/** A writable stream for pino that keeps every line, for scanLogLines. */
export function logCapture(): { lines: string[]; write(chunk: string): void } {
  const lines: string[] = [];
  return {
    lines,
    write(chunk: string) {
      lines.push(...chunk.split('\n').filter(Boolean));
    },
  };
}
