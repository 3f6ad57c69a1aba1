/**
 * The access nouns that cross the wire: the earlier releases' role names (kept for `tally users add
 * --role`), the signed-in user with their grants and what each permission covers, and the sign-in
 * exchange. Browser-safe: zod only.
 */
import { z } from 'zod';
import { grant, permission } from './permissions.ts';

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

const storeSet = z.union([z.array(z.string()), z.literal('all')]);

export const sessionUser = z.object({
  username: z.string(),
  displayName: z.string(),
  /** The role of the first grant (a role id), for screens that show one role; '' when none. */
  role: z.string(),
  /** Store ids in scope for any permission, or 'all' for head office. */
  stores: storeSet,
  /** The roles granted and where. */
  grants: z.array(grant),
  /** Per permission held: the stores it covers ('all' over the chain); absent when not held at all. */
  permissions: z.partialRecord(permission, storeSet),
});
export type SessionUser = z.infer<typeof sessionUser>;

/** Answer of sign-in and of /auth/me. */
export const meResponse = z.object({ user: sessionUser });
export type MeResponse = z.infer<typeof meResponse>;

export const signOutResponse = z.object({ signedOut: z.literal(true) });
export type SignOutResponse = z.infer<typeof signOutResponse>;

/** A one-time set-password link (invite or reset): the token is shown once; HQ keeps its hash. */
export const passwordLinkSchema = z.object({
  username: z.string(),
  purpose: z.enum(['invite', 'reset']),
  token: z.string(),
  expiresAt: z.string(),
});
export type PasswordLinkResponse = z.infer<typeof passwordLinkSchema>;

/** Where the dashboard opens a set-password link: its hash route, so the token never reaches a server log. */
export const SET_PASSWORD_VIEW = 'set-password';
export const setPasswordPath = (token: string): string =>
  `/dashboard/#/${SET_PASSWORD_VIEW}?token=${encodeURIComponent(token)}`;
