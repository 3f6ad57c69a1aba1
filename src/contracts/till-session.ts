import { z } from 'zod';
import { TILL_PERMISSIONS } from './permissions.ts';

/**
 * The cashier signed in at a till, as the register API answers POST/GET /api/v1/session: who, with
 * which till permissions, since when, and whether the session is locked (idle or by hand).
 */
export const TILL_SESSION_COOKIE = 'tally_till_session';

export const tillSessionSchema = z.object({
  user: z.object({
    userId: z.string(),
    code: z.string(),
    name: z.string(),
    permissions: z.array(z.enum(TILL_PERMISSIONS)),
  }),
  signedInAt: z.string(),
  locked: z.boolean(),
  idleLockSeconds: z.number().int(),
});
export type TillSession = z.infer<typeof tillSessionSchema>;
