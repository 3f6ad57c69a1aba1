import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../shared/http.ts';

/**
 * Every HQ list that answers with a JSON array says whether it is the whole list, in headers so the
 * array body stays what clients (the dashboard, scripts) already read:
 *   X-Total-Count  how many rows match (always for a complete list; for a cut one where HQ counts)
 *   X-Truncated    "true" when rows were left out; then
 *   Link           <the same URL with offset moved on>; rel="next": the next page
 * A list nobody cuts gets `X-Truncated: false` and its length from one hook (`listHeaders`).
 */
export const TOTAL_HEADER = 'x-total-count';
export const TRUNCATED_HEADER = 'x-truncated';

/** `limit` and `offset` for a cut list; each route keeps its own maximum and default. */
export const pageQuery = (max: number) => ({
  limit: z.coerce.number().int().positive().max(max).optional(),
  offset: z.coerce.number().int().nonnegative().max(1_000_000).optional(),
});

export interface PageAsk {
  limit?: number | undefined;
  offset?: number | undefined;
}

/** How many rows to ask the module for: up to the end of this page and one more, to know if there is more. */
export const rowsToFetch = (ask: PageAsk, defaultLimit: number): number =>
  (ask.offset ?? 0) + (ask.limit ?? defaultLimit) + 1;

/**
 * Cuts this page out of rows fetched with `rowsToFetch` (the `kept` filter, e.g. the caller's stores,
 * applied first) and sets the headers. Returns the page to send.
 */
export function sendPage<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  fetched: readonly T[],
  ask: PageAsk,
  defaultLimit: number,
  opts: { kept?: (row: T) => boolean; total?: number } = {},
): T[] {
  const offset = ask.offset ?? 0;
  const limit = ask.limit ?? defaultLimit;
  const truncated = fetched.length > offset + limit;
  const rows = opts.kept ? fetched.filter(opts.kept) : [...fetched];
  const page = rows.slice(offset, offset + limit);
  const total = opts.total ?? (truncated ? undefined : rows.length);
  pageHeaders(req, reply, { truncated, total, nextOffset: offset + limit, limit });
  return page;
}

/** Sets the page headers; returns the next page's URL (also in `Link`), or null on the last page. */
export function pageHeaders(
  req: FastifyRequest,
  reply: FastifyReply,
  p: { truncated: boolean; total: number | undefined; nextOffset: number; limit: number },
): string | null {
  if (p.total !== undefined) reply.header(TOTAL_HEADER, String(p.total));
  reply.header(TRUNCATED_HEADER, String(p.truncated));
  if (!p.truncated) return null;
  const next = nextUrl(req.url, p.nextOffset, p.limit);
  reply.header('link', `<${next}>; rel="next"`);
  return next;
}

function nextUrl(url: string, offset: number, limit: number): string {
  const u = new URL(url, 'http://hq.invalid');
  u.searchParams.set('offset', String(offset));
  u.searchParams.set('limit', String(limit));
  return `${u.pathname}${u.search}`;
}

/** A GET answered with an array and no page headers is a whole list: say so. */
export function listHeaders(app: App): void {
  app.addHook('preSerialization', async (req, reply, payload) => {
    if (req.method === 'GET' && Array.isArray(payload) && !reply.hasHeader(TRUNCATED_HEADER)) {
      reply.header(TOTAL_HEADER, String(payload.length));
      reply.header(TRUNCATED_HEADER, 'false');
    }
    return payload;
  });
}
