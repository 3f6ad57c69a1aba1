/**
 * `npm run bench` writes the figures it printed into docs/BENCHMARKS.md, between
 * `<!-- bench:figures -->` and `<!-- /bench:figures -->`, so the docs show the last full run and the
 * diff of a commit shows what moved. Everything outside the markers is written by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { PrintedTable } from './stats.ts';

export const FIGURES_DOC = new URL('../docs/BENCHMARKS.md', import.meta.url);
const OPEN = '<!-- bench:figures -->';
const CLOSE = '<!-- /bench:figures -->';

const cell = (v: string | number | undefined): string => String(v ?? '').replace(/\|/g, '\\|');

/** One printed table as markdown: a heading, then one column per key any row has. */
export function tableMarkdown(t: PrintedTable): string {
  const keys = [...new Set(t.rows.flatMap((r) => Object.keys(r)))];
  if (keys.length === 0) return `### ${t.title}\n\n(no rows: skipped)`;
  return [
    `### ${t.title}`,
    '',
    `| ${keys.map(cell).join(' | ')} |`,
    `| ${keys.map(() => '---').join(' | ')} |`,
    ...t.rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`),
  ].join('\n');
}

/** The document with the figures section replaced; the markers are added at the end when missing. */
export function withFigures(doc: string, heading: string, tables: PrintedTable[]): string {
  const section = [OPEN, heading, '', ...tables.map(tableMarkdown).flatMap((t) => [t, '']), CLOSE].join('\n');
  const start = doc.indexOf(OPEN);
  const end = doc.indexOf(CLOSE);
  if (start < 0 || end < start) return `${doc.trimEnd()}\n\n${section}\n`;
  return `${doc.slice(0, start)}${section}${doc.slice(end + CLOSE.length)}`;
}

export function writeFigures(heading: string, tables: PrintedTable[], file: URL = FIGURES_DOC): void {
  writeFileSync(file, withFigures(readFileSync(file, 'utf8'), heading, tables));
}
