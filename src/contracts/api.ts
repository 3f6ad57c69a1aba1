/**
 * What every HTTP API of Tally shares: the one base path and the one error shape, for HQ and the till
 * alike. Browser-safe: zod only.
 */
import { z } from 'zod';

export const API_BASE = '/api/v1';

/**
 * Every non-2xx answer. Codes the screen reacts to: unauthorized (401, sign in again),
 * invalid_credentials (401 from sign-in), rate_limited (429, see Retry-After), forbidden (403, `field`
 * names what was out of scope, e.g. `store`), not_found (404), validation (400, `field` at fault).
 */
export const errorBody = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;
