import { randomBytes } from 'node:crypto';
import type { Grant, SessionUser } from '../contracts/index.ts';
import { invalid, TallyError } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { acc } from './access-tables.ts';
import type { PermissionStores } from './coverage.ts';
import { hashToken } from './tokens.ts';
import { assertManages, assertMayGrant } from './user-admin.ts';
import { addUser, hashPassword, passwordSchema } from './users.ts';

/**
 * Set-password links: how a person gets a password without anyone else knowing it. A manager invites a
 * new user (or resets a known one's password), HQ answers a one-time token once, the manager passes the
 * link on, and the user chooses their password with it. Only the token's sha256 is kept; it works once,
 * until it expires, and a newer link for the same user voids the older ones. Until then the user has a
 * random password nobody knows, so a reset also locks out whoever knew the old one.
 */
export const INVITE_TTL_MS = 72 * 3_600_000;
export const RESET_TTL_MS = 24 * 3_600_000;

export interface PasswordLink {
  username: string;
  purpose: 'invite' | 'reset';
  /** Shown once; HQ keeps only its hash. */
  token: string;
  expiresAt: string;
}

/** A password nobody knows: the account cannot be signed in to until a link sets one. */
const unknowablePassword = () => randomBytes(32).toString('base64url');

async function issueLink(
  db: HqDb,
  username: string,
  purpose: PasswordLink['purpose'],
  createdBy: string,
  now: Date,
): Promise<PasswordLink> {
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + (purpose === 'invite' ? INVITE_TTL_MS : RESET_TTL_MS));
  await acc(db).deleteFrom('user_password_links').where('username', '=', username).execute();
  await acc(db)
    .insertInto('user_password_links')
    .values({
      token_hash: hashToken(token),
      username,
      purpose,
      created_by: createdBy,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  return { username, purpose, token, expiresAt: expiresAt.toISOString() };
}

/** A new user with their grants and an invite link instead of a password. */
export async function inviteUser(
  db: HqDb,
  actor: PermissionStores,
  input: { username: string; displayName: string; grants: Grant[] },
  createdBy: string,
  now: Date = new Date(),
): Promise<{ user: SessionUser; link: PasswordLink }> {
  await assertMayGrant(db, actor, input.grants);
  const user = await addUser(db, { ...input, password: unknowablePassword() });
  const link = await issueLink(db, user.username, 'invite', createdBy, now);
  return { user, link };
}

/** Replaces the password with one nobody knows, ends the user's sessions and issues a reset link. */
export async function issueResetLink(
  db: HqDb,
  actor: PermissionStores,
  username: string,
  createdBy: string,
  now: Date = new Date(),
): Promise<PasswordLink> {
  await assertManages(db, actor, username);
  const hash = await hashPassword(unknowablePassword());
  return db.transaction().execute(async (trx) => {
    const u = await acc(trx)
      .updateTable('users')
      .set({ password_hash: hash })
      .where('username', '=', username)
      .where('active', '=', true)
      .returning('username')
      .executeTakeFirst();
    if (!u) throw invalid('username', `${username} is deactivated; reactivate them first`);
    await acc(trx).deleteFrom('sessions').where('username', '=', username).execute();
    return issueLink(trx, username, 'reset', createdBy, now);
  });
}

const linkRefused = (message: string): TallyError =>
  new TallyError('unauthorized', `token: ${message}`, 'token');
const ASK = 'ask your manager for a new link';

/** Sets the password a link allows, once; wrong, used and expired links each say what to do. */
export async function usePasswordLink(
  db: HqDb,
  token: string,
  password: string,
  now: Date = new Date(),
): Promise<{ username: string }> {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw invalid('password', parsed.error.issues[0]?.message ?? 'not a password');
  const hash = await hashPassword(parsed.data);
  return db.transaction().execute(async (trx) => {
    const link = await acc(trx)
      .selectFrom('user_password_links')
      .selectAll()
      .where('token_hash', '=', hashToken(token.trim()))
      .forUpdate()
      .executeTakeFirst();
    if (!link) throw linkRefused(`this link is not valid (mistyped, or replaced by a newer one); ${ASK}`);
    if (link.used_at) throw linkRefused(`this link was used already; sign in, or ${ASK}`);
    if (link.expires_at.getTime() <= now.getTime()) throw linkRefused(`this link has expired; ${ASK}`);
    const user = await acc(trx)
      .updateTable('users')
      .set({ password_hash: hash })
      .where('username', '=', link.username)
      .where('active', '=', true)
      .returning('username')
      .executeTakeFirst();
    if (!user) throw linkRefused('this user is deactivated; ask your manager');
    await acc(trx)
      .updateTable('user_password_links')
      .set({ used_at: now })
      .where('token_hash', '=', link.token_hash)
      .execute();
    await acc(trx).deleteFrom('sessions').where('username', '=', link.username).execute();
    return { username: link.username };
  });
}
