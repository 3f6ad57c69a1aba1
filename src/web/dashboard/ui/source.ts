import type { Source } from '../../../contracts/index.ts';
import { formatTime } from '../format.ts';

/** The words behind every number's tooltip: which query, which tables, as of when. */
export const sourceText = (s: Source | undefined): string =>
  s ? `Source: ${s.query} (${s.tables.join(', ')}; as of ${formatTime(s.asOf)})` : '';
