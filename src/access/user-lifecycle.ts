import { notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { acc } from './access-tables.ts';
import { auditDb } from './audit-log.ts';
import type { PermissionStores } from './coverage.ts';
import { assertUserManagerRemains, chainHolders } from './grants.ts';
import type { TillCredentialTables } from './till-users.ts';
import { assertManages } from './user-admin.ts';

/**
 * Bringing a deactivated user back, and removing one. Removing keeps history readable: a user the audit
 * log names as actor, or who had a till code (so till events may name them), is not deleted but
 * deactivated, stripped of every grant and set-password link, and hidden from the lists; their username
 * stays taken, so no newcomer inherits their entries. Only a user with no such trace is deleted.
 */
async function userRow(db: HqDb, username: string) {
  const u = await acc(db)
    .selectFrom('users')
    .select(['username', 'active', 'removed_at'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!u || u.removed_at) throw notFound(`user ${username}`, 'username');
  return u;
}

export async function reactivateUser(db: HqDb, actor: PermissionStores, username: string): Promise<void> {
  await userRow(db, username);
  await assertManages(db, actor, username);
  await acc(db).updateTable('users').set({ active: true }).where('username', '=', username).execute();
}

export type Removal = 'deleted' | 'kept for history';

/** True when something HQ keeps names the user as the one who acted. */
async function hasActed(db: HqDb, username: string): Promise<boolean> {
  const audited = await auditDb(db)
    .selectFrom('audit_log')
    .select('seq')
    .where('actor_kind', '=', 'user')
    .where('actor_id', '=', username)
    .limit(1)
    .executeTakeFirst();
  if (audited) return true;
  const tillCode = await db
    .withTables<TillCredentialTables>()
    .selectFrom('till_credentials')
    .select('username')
    .where('username', '=', username)
    .executeTakeFirst();
  return tillCode !== undefined;
}

export async function removeUser(db: HqDb, actor: PermissionStores, username: string): Promise<Removal> {
  await userRow(db, username);
  await assertManages(db, actor, username);
  const acted = await hasActed(db, username);
  const hadManager = (await chainHolders(db, 'manage_users')).length > 0;
  return db.transaction().execute(async (trx) => {
    const a = acc(trx);
    await a.deleteFrom('sessions').where('username', '=', username).execute();
    await a.deleteFrom('user_password_links').where('username', '=', username).execute();
    await a.deleteFrom('user_grants').where('username', '=', username).execute();
    if (acted)
      await a
        .updateTable('users')
        .set({ active: false, removed_at: new Date() })
        .where('username', '=', username)
        .execute();
    else await a.deleteFrom('users').where('username', '=', username).execute();
    if (hadManager) await assertUserManagerRemains(trx, `removing ${username}`);
    return acted ? 'kept for history' : 'deleted';
  });
}
