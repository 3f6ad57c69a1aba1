import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { invalid } from '../../core/index.ts';
import { detectFormat, type ExportFormat, type Row } from './formats.ts';
import type { ImportKind, LegacyRecord, RejectedIdentifier, RejectedRecord } from './record.ts';

export interface ReadResult {
  file: string;
  format: ExportFormat;
  /** Data rows read (continuation and image-only rows included). */
  rows: number;
  records: LegacyRecord[];
  rejected: RejectedRecord[];
  rejectedIdentifiers: RejectedIdentifier[];
}

export interface ReadOptions {
  /** Decimals of the currency the export's prices are in. Default 2. */
  decimals?: number;
  onProgress?: (p: { bytes: number; total: number; rows: number }) => void;
}

/**
 * Streams one export file: the header decides the format (or the file is refused with the columns it
 * lacks), then each row goes through the format's mapper. A byte-order mark, quoted newlines and
 * ragged rows are what spreadsheets write, so all three are accepted. Rows are numbered as a
 * spreadsheet shows them: the header is row 1.
 */
export async function readExport(
  kind: ImportKind,
  path: string,
  opts: ReadOptions = {},
): Promise<ReadResult> {
  const file = basename(path);
  let total: number;
  try {
    total = statSync(path).size;
  } catch {
    throw invalid('file', `${path} cannot be read`);
  }
  return readExportFrom(kind, file, createReadStream(path), total, opts);
}

/** One export given as text (an upload to HQ's API), read exactly as a file would be. */
export function readExportText(
  kind: ImportKind,
  name: string,
  content: string,
  opts: ReadOptions = {},
): Promise<ReadResult> {
  const bytes = Buffer.from(content, 'utf8');
  return readExportFrom(kind, basename(name), Readable.from([bytes]), bytes.length, opts);
}

async function readExportFrom(
  kind: ImportKind,
  file: string,
  input: Readable,
  total: number,
  opts: ReadOptions,
): Promise<ReadResult> {
  let bytes = 0;
  input.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  const parser = input.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: true }),
  );
  let header: string[] | undefined;
  let format: ExportFormat | undefined;
  let mapper: ReturnType<ExportFormat['mapper']> | undefined;
  const out: ReadResult = {
    file,
    format: undefined as unknown as ExportFormat, // set with the header, before anything returns
    rows: 0,
    records: [],
    rejected: [],
    rejectedIdentifiers: [],
  };
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = cells.map((h) => h.trim());
        const d = detectFormat(kind, header);
        if ('lacks' in d) {
          throw invalid(
            'file',
            `${file} is not a ${d.label}: it lacks the column${d.lacks.length > 1 ? 's' : ''} ${d.lacks.join(', ')}`,
          );
        }
        format = d.format;
        out.format = format;
        mapper = format.mapper(file, header, opts.decimals ?? 2);
        continue;
      }
      out.rows++;
      const row: Row = {};
      for (let i = 0; i < header.length; i++) row[header[i]!] = cells[i] ?? '';
      for (const o of mapper!.map(row, out.rows + 1)) {
        if (o.record) out.records.push(o.record);
        if (o.rejected) out.rejected.push(o.rejected);
        for (const ri of o.rejectedIdentifiers) out.rejectedIdentifiers.push(ri);
      }
      if (opts.onProgress && out.rows % 2_000 === 0) opts.onProgress({ bytes, total, rows: out.rows });
    }
  } catch (err) {
    input.destroy();
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('CSV_'))
      throw invalid('file', `${file} is not valid CSV: ${err.message}`);
    throw err;
  }
  if (!format) throw invalid('file', `${file} is empty`);
  opts.onProgress?.({ bytes: total, total, rows: out.rows });
  return out;
}
