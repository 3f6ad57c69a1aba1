import type { SessionUser } from '../contracts/index.ts';
import type { HqDb } from '../db/index.ts';
import { hashToken, newToken } from './tokens.ts';
import { acc, loadUser } from './users.ts';

/** Sessions last 12 hours from the last request: a shift's length, renewed while the manager works. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
// Renewing on every request would write on every panel load; a minute's granularity is plenty.
const RENEW_AFTER_MS = 60 * 1000;

/** Opens a session and returns its token (the cookie value); HQ keeps only the token's sha256. */
export async function createSession(db: HqDb, username: string, now = new Date()): Promise<string> {
  const token = newToken();
  await acc(db).deleteFrom('sessions').where('expires_at', '<', now).execute();
  await acc(db)
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      username,
      created_at: now,
      expires_at: new Date(now.getTime() + SESSION_TTL_MS),
    })
    .execute();
  return token;
}

/** The signed-in user of a session token, sliding its expiry; undefined when unknown or expired. */
export async function resolveSession(
  db: HqDb,
  token: string | undefined,
  now = new Date(),
): Promise<SessionUser | undefined> {
  if (!token) return undefined;
  const hash = hashToken(token);
  const row = await acc(db)
    .selectFrom('sessions')
    .select(['username', 'expires_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.expires_at.getTime() <= now.getTime()) return undefined;
  const user = await loadUser(db, row.username);
  if (!user) return undefined;
  const renewed = now.getTime() + SESSION_TTL_MS;
  if (renewed - row.expires_at.getTime() > RENEW_AFTER_MS)
    await acc(db)
      .updateTable('sessions')
      .set({ expires_at: new Date(renewed) })
      .where('token_hash', '=', hash)
      .execute();
  return user;
}

export async function endSession(db: HqDb, token: string | undefined): Promise<void> {
  if (!token) return;
  await acc(db).deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}
