import Database from 'better-sqlite3';
import { textProblem } from '../../src/core/limits.ts';

/**
 * Everything a till stored, checked for values HQ could not take: every cell of every table of a
 * SQLite file, and every string and number inside cells that hold JSON (event payloads, carts). A
 * NUL, a lone surrogate, a control character, a text longer than a note, or a number outside the
 * exact range is a finding, named by table, row and path.
 */
export function unsafeStoredValues(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const found: string[] = [];
  const check = (where: string, v: unknown): void => {
    if (typeof v === 'string') {
      const p = textProblem(v, 'note', { multiline: true });
      if (p) found.push(`${where}: ${p}: ${JSON.stringify(v.slice(0, 40))}`);
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) found.push(`${where}: number ${v}`);
    } else if (v && typeof v === 'object')
      for (const [k, child] of Object.entries(v)) {
        check(`${where}.${k}`, k);
        check(`${where}.${k}`, child);
      }
  };
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      for (const [i, row] of rows.entries()) {
        for (const [col, cell] of Object.entries(row)) {
          const where = `${table}[${i}].${col}`;
          if (typeof cell === 'string' && /^[[{]/.test(cell)) {
            try {
              check(where, JSON.parse(cell));
              continue;
            } catch {
              // not JSON after all: checked as text below
            }
          }
          if (typeof cell === 'string' && cell.length > 2_000)
            found.push(`${where}: ${cell.length} characters`);
          else check(where, cell);
        }
      }
    }
  } finally {
    db.close();
  }
  return found;
}
