/**
 * The access nouns that cross the wire: role names, the signed-in user and the sign-in exchange. The
 * rules about what a role may do live in `access/roles.ts`. Browser-safe: zod only.
 */
import { z } from 'zod';

/** httpOnly, SameSite=Strict; the screen never reads it, the browser just sends it. */
export const SESSION_COOKIE = 'tally_session';

export const ROLES = ['associate', 'store_manager', 'district_manager', 'admin'] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

export const signInBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
});
export type SignInBody = z.infer<typeof signInBody>;

export const sessionUser = z.object({
  username: z.string(),
  displayName: z.string(),
  role,
  /** Store ids in scope, or 'all' for head office. */
  stores: z.union([z.array(z.string()), z.literal('all')]),
});
export type SessionUser = z.infer<typeof sessionUser>;

/** Answer of sign-in and of /auth/me. */
export const meResponse = z.object({ user: sessionUser });
export type MeResponse = z.infer<typeof meResponse>;

export const signOutResponse = z.object({ signedOut: z.literal(true) });
export type SignOutResponse = z.infer<typeof signOutResponse>;
